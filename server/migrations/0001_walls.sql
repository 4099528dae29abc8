-- Messages of every wall. `id` is AUTOINCREMENT so an id is never reused,
-- even after a delete: it is the list cursor clients keep.
CREATE TABLE messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    wall       TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    author     TEXT,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL, -- milliseconds since the Unix epoch
    hugs       INTEGER NOT NULL DEFAULT 0,
    pinned     INTEGER NOT NULL DEFAULT 0,
    hidden     INTEGER NOT NULL DEFAULT 0,
    held       INTEGER NOT NULL DEFAULT 0,
    -- Idempotency of posts is the database's job, not a check-then-insert:
    -- two racing retries cannot both insert.
    UNIQUE (wall, client_id)
);

-- The public listing reads only visible messages of one wall, by id.
CREATE INDEX messages_visible ON messages (wall, id) WHERE hidden = 0 AND held = 0;

-- One hug per client per message.
CREATE TABLE hugs (
    message_id INTEGER NOT NULL REFERENCES messages (id),
    client_id  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, client_id)
) WITHOUT ROWID;

-- The append-only log of what live clients see; `seq` is the SSE id.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    wall       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    data       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX events_by_wall ON events (wall, seq);

-- The status the team set through PUT /api/v1/status (at most one row).
CREATE TABLE team_status (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    summary TEXT    NOT NULL,
    set_at  INTEGER NOT NULL
);
