-- Events name the message they are about, so a replay of the log can see
-- what that message is *now* and send a removal instead of the body of a
-- message the team has since hidden (store/shared.rs, `EVENT_SELECT`).
ALTER TABLE events ADD COLUMN message_id INTEGER;

-- `message` and `moderated` events carry the message, `hugs` its id.
UPDATE events
SET message_id = COALESCE(json_extract(data, '$.message.id'), json_extract(data, '$.message_id'));

-- A client_id is its poster's idempotency key, not public: events written
-- before this migration carried it.
UPDATE events
SET data = json_remove(data, '$.message.client_id')
WHERE json_extract(data, '$.message.client_id') IS NOT NULL;
