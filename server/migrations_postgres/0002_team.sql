-- What the team page needs (as migrations/0002_team.sql): official
-- messages, per-wall slow mode, and the incident of each incident wall.
-- None of these tables draws from a sequence, so writing them needs no
-- advisory lock.

-- Set only by POST /api/v1/walls/{wall}/official (team token).
ALTER TABLE messages ADD COLUMN official BOOLEAN NOT NULL DEFAULT FALSE;

-- `scope`: a wall slug (that wall's override) or '*' (every wall). Every
-- instance reads it (re-reading when its copy is over 2 s old), so a change
-- on one instance reaches all.
CREATE TABLE slow_mode (
    scope   TEXT   PRIMARY KEY,
    seconds BIGINT NOT NULL
);

CREATE TABLE incident_walls (
    wall        TEXT   PRIMARY KEY,
    incident_id TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    started_at  BIGINT NOT NULL,
    resolved_at BIGINT
);
