-- Up Migration
-- Whether the user has proven they read mail at their address (user.* events' emailVerified). An
-- address nobody has proven does not name anyone yet, so adding a member by email refuses it.
-- Rows replicated before verification existed are about accounts that were never asked, and
-- their events carried no such field: they count as verified, as that absence does.
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT true;

-- Forgetting a user finds the verification links they asked for (the address is in the entry),
-- as it finds their password resets.
CREATE INDEX audit_logs_verification_user_idx ON audit_logs ((new_state ->> 'userId'))
  WHERE entity_type = 'email-verification';

-- Down Migration
DROP INDEX audit_logs_verification_user_idx;
ALTER TABLE users DROP COLUMN email_verified;
