-- Up Migration
-- Every domain event of the suite, recorded once (event_id is unique, so a redelivery inserts
-- nothing). team_id is set for team-scoped events, which the team's audit API reads. Ids from
-- other services are opaque text: a malformed one must not stop the log.
CREATE TABLE audit_logs (
  id BIGSERIAL PRIMARY KEY,
  event_id UUID NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  action TEXT NOT NULL,
  team_id TEXT,
  actor_id TEXT,
  occurred_at TIMESTAMPTZ(3) NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  previous_state JSONB,
  new_state JSONB,
  ip_address TEXT,
  user_agent TEXT,
  request_id TEXT
);
-- The audit API always reads one team's entries newest first, (occurred_at, id) being the
-- cursor; the narrower filters get their own prefix.
CREATE INDEX audit_logs_team_idx ON audit_logs (team_id, occurred_at DESC, id DESC);
CREATE INDEX audit_logs_team_entity_idx
  ON audit_logs (team_id, entity_type, entity_id, occurred_at DESC, id DESC);
CREATE INDEX audit_logs_team_actor_idx
  ON audit_logs (team_id, actor_id, occurred_at DESC, id DESC);

-- Append-only: an entry is never changed or deleted.
CREATE FUNCTION audit_logs_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only';
END;
$$;
CREATE TRIGGER audit_logs_append_only
  BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();

-- Down Migration
DROP TABLE audit_logs;
DROP FUNCTION audit_logs_append_only();
