-- Events name the message they are about, so a replay of the log can see
-- what that message is *now* and send a removal instead of the body of a
-- message the team has since hidden (store/shared.rs, `EVENT_SELECT`).
-- (No id is drawn here, so the advisory lock of the writers is not needed.)
ALTER TABLE events ADD COLUMN message_id BIGINT;

-- `message` and `moderated` events carry the message, `hugs` its id.
UPDATE events
SET message_id = COALESCE((data::jsonb #>> '{message,id}')::bigint,
                          (data::jsonb ->> 'message_id')::bigint);

-- A client_id is its poster's idempotency key, not public: events written
-- before this migration carried it.
UPDATE events
SET data = (data::jsonb #- '{message,client_id}')::text
WHERE data::jsonb #> '{message,client_id}' IS NOT NULL;
