-- Up Migration
-- The user directory: auth's users as replicated from user.created / user.updated. `version` is
-- auth's; an event applies only on top of the version before it. Adding a member by email
-- looks the address up here, case-insensitively.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  first_name TEXT,
  last_name TEXT,
  avatar_url TEXT,
  version INTEGER NOT NULL CHECK (version >= 0),
  replicated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Down Migration
DROP TABLE users;
