-- Up Migration
-- A user deleted in auth (user.deleted) stays in the directory as a tombstone: the id, the version
-- of the deletion and when it arrived, nothing personal. A late user.created / user.updated is then
-- a duplicate by the version rule and cannot bring them back. A tombstone has no email, so it holds
-- no entry of users_email_key and the address can sign up again as a new user.
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
ALTER TABLE users ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email IS NOT NULL OR deleted_at IS NOT NULL);
ALTER TABLE users ADD CONSTRAINT users_tombstone_check CHECK (
  deleted_at IS NULL OR num_nulls(email, first_name, last_name, avatar_url) = 4
);

-- The users whose user.deleted the audit log has seen. Its durable can be ahead of the directory's,
-- so it keeps its own record: an entry of theirs that arrives later is stored without their data.
CREATE TABLE audit_deleted_users (
  user_id TEXT PRIMARY KEY,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Forgetting a user finds their entries without reading the whole log: their account's events, the
-- password resets they asked for (the address is in the entry), and what they did (IP, user agent).
CREATE INDEX audit_logs_entity_idx ON audit_logs (entity_type, entity_id);
CREATE INDEX audit_logs_reset_user_idx ON audit_logs ((new_state ->> 'userId'))
  WHERE entity_type = 'password-reset';
CREATE INDEX audit_logs_actor_idx ON audit_logs (actor_id);

-- Still append-only, with one exception: forgetting a deleted user (the transaction sets
-- audit_logs.forget_user) may rewrite an entry's states, IP and user agent. What happened, to what,
-- when and by whom stays as it was recorded.
CREATE OR REPLACE FUNCTION audit_logs_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('audit_logs.forget_user', true) = 'on'
     AND (NEW.id, NEW.event_id, NEW.subject, NEW.entity_type, NEW.entity_id, NEW.action,
          NEW.team_id, NEW.actor_id, NEW.occurred_at, NEW.recorded_at, NEW.request_id)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.event_id, OLD.subject, OLD.entity_type, OLD.entity_id, OLD.action,
          OLD.team_id, OLD.actor_id, OLD.occurred_at, OLD.recorded_at, OLD.request_id)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_logs is append-only';
END;
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION audit_logs_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only';
END;
$$;
DROP INDEX audit_logs_actor_idx;
DROP INDEX audit_logs_reset_user_idx;
DROP INDEX audit_logs_entity_idx;
DROP TABLE audit_deleted_users;
-- A tombstone has no email to go back to: the directory before this migration never held one.
DELETE FROM users WHERE deleted_at IS NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_tombstone_check;
ALTER TABLE users DROP CONSTRAINT users_email_check;
ALTER TABLE users DROP COLUMN deleted_at;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
