-- Up Migration
-- Timestamps that page lists are kept to the millisecond, so a cursor carrying a JavaScript
-- Date finds its row again exactly.
CREATE TABLE teams (
  id UUID PRIMARY KEY,
  name TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  description TEXT CHECK (char_length(description) <= 2000),
  -- No foreign key to users: see team_memberships.user_id.
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- Bumped by every write; team.* events carry it.
  version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0)
);

-- What a role may be allowed to do; the names are the PERMISSIONS of the event catalogue.
CREATE TABLE permissions (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL
);
INSERT INTO permissions (name, description) VALUES
  ('task.create', 'Create tasks'),
  ('task.update', 'Edit tasks'),
  ('task.delete', 'Delete tasks'),
  ('task.assign', 'Assign tasks to members'),
  ('comment.create', 'Comment on tasks'),
  ('member.manage', 'Add and remove members and change their roles'),
  ('team.update', 'Rename the team and edit its description'),
  ('team.delete', 'Delete the team (admins only)'),
  ('audit.read', 'Read the team''s audit log');

CREATE TABLE role_permissions (
  team_id UUID NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'guest')),
  permission TEXT NOT NULL REFERENCES permissions (name),
  PRIMARY KEY (team_id, role, permission)
);

CREATE TABLE team_memberships (
  team_id UUID NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  -- No foreign key to users on purpose: the directory is replicated from auth's events and may
  -- lag behind, so a user who just signed up can create a team (becoming its admin) before
  -- their user.created arrives here. Members added by others are checked against the directory.
  user_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'guest')),
  joined_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- A removed membership stays, so its version goes on rising when the user is added again:
  -- member.* events of one (team, user) carry 0, 1, 2, ... without gaps or repeats.
  removed_at TIMESTAMPTZ(3),
  version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
  PRIMARY KEY (team_id, user_id)
);
-- "My teams", newest first.
CREATE INDEX team_memberships_user_idx
  ON team_memberships (user_id, joined_at DESC, team_id DESC)
  WHERE removed_at IS NULL;
-- A team's members in the order they joined.
CREATE INDEX team_memberships_team_joined_idx
  ON team_memberships (team_id, joined_at, user_id)
  WHERE removed_at IS NULL;

-- Down Migration
DROP TABLE team_memberships;
DROP TABLE role_permissions;
DROP TABLE permissions;
DROP TABLE teams;
