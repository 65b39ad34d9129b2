-- Up Migration
-- The outbox the relay publishes from: PG_OUTBOX_DDL of @taskforge/common, verbatim (a test
-- compares the two). Every write inserts its events here in its own transaction.
CREATE TABLE IF NOT EXISTS outbox (
  seq BIGSERIAL PRIMARY KEY,
  id UUID NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  event JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  published_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE outbox;
