-- Up Migration
-- Auth's session version of each user (from user.* events): the teams API refuses session
-- tokens signed before it rose (sign out everywhere, a password change). Rows replicated before
-- it start at 0, as every token did.
ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0 CHECK (session_version >= 0);

-- Down Migration
ALTER TABLE users DROP COLUMN session_version;
