-- What the team page needs: official messages, per-wall slow mode, and the
-- incident each incident wall belongs to.

-- Set only by POST /api/v1/walls/{wall}/official (team token); never by a
-- customer's post.
ALTER TABLE messages ADD COLUMN official INTEGER NOT NULL DEFAULT 0;

-- Slow mode as the team set it: `scope` is a wall slug (that wall's
-- override) or '*' (every wall; not a valid slug, so it cannot clash).
-- Without a '*' row the server's --slow-mode applies.
CREATE TABLE slow_mode (
    scope   TEXT    PRIMARY KEY,
    seconds INTEGER NOT NULL
);

-- The incident behind each incident wall (wall = WallSlug::for_incident of
-- the Statuspage id), recorded as the status service sees incidents. Rows
-- are never deleted: a resolved incident's wall stays listed.
CREATE TABLE incident_walls (
    wall        TEXT    PRIMARY KEY,
    incident_id TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    started_at  INTEGER NOT NULL, -- milliseconds; when first seen if unknown
    resolved_at INTEGER           -- NULL while the incident is going on
);
