import { displayName, type NamedPerson } from '@taskforge/common';
import mongoose from 'mongoose';
import { Client } from 'pg';

/*
 * The convergence checker: reads every owner's data and every replica built from its events,
 * and lists each difference. Replicas checked: teams' user directory, tasks' teams,
 * memberships, tickets and users, notifications' users, tickets' users, auth's teams and
 * memberships. It states what each replica must hold on its own terms (not through the
 * services' code; only the suite's one naming rule, common's `displayName`, is shared), so a
 * mapping bug shows up too. A deleted account (auth's tombstone, `deletedAt`) must be a
 * tombstone in every copy: `deleted`, and none of the personal fields.
 */

export interface ConvergeStores {
  /** Database URLs, one per service (MongoDB) or the teams database (PostgreSQL). */
  auth: string;
  tickets: string;
  tasks: string;
  notifications: string;
  teams: string;
  /** Where teams' user directory lives, when not in `teams` (a second teams, in tests). */
  teamsDirectory?: string;
}

export interface Difference {
  replica: string;
  id: string;
  problem: string;
}

export interface ConvergeReport {
  /** How many owner records each replica was compared on. */
  checked: Record<string, number>;
  differences: Difference[];
}

type Doc = Record<string, unknown> & { _id: unknown };

const ROLES = ['admin', 'member', 'guest'] as const;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compares listed fields; returns "field: owner X, replica Y" for each that differs. */
function fieldProblems(owner: Record<string, unknown>, replica: Record<string, unknown>): string[] {
  return Object.keys(owner)
    .filter((field) => !same(owner[field], replica[field]))
    .map(
      (field) =>
        `${field}: owner ${JSON.stringify(owner[field])}, replica ${JSON.stringify(replica[field])}`,
    );
}

async function readMongo(
  url: string,
  collection: string,
  projection?: Record<string, 1>,
): Promise<Doc[]> {
  const connection = await mongoose
    .createConnection(url, { serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  try {
    return (await connection
      .collection(collection)
      .find({}, projection ? { projection } : {})
      .toArray()) as unknown as Doc[];
  } finally {
    await connection.close();
  }
}

async function readPg<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

class Differences {
  readonly list: Difference[] = [];
  readonly checked: Record<string, number> = {};

  /** Every owner record must have its replica record, equal on `fields`. */
  compare<O>(
    replica: string,
    owners: O[],
    replicas: Map<string, Doc>,
    expected: (owner: O) => { id: string; fields: Record<string, unknown> },
    actual: (doc: Doc) => Record<string, unknown>,
  ): Set<string> {
    this.checked[replica] = owners.length;
    const ids = new Set<string>();
    for (const owner of owners) {
      const { id, fields } = expected(owner);
      ids.add(id);
      const doc = replicas.get(id);
      if (!doc) {
        this.add(replica, id, 'missing from the replica');
        continue;
      }
      for (const problem of fieldProblems(fields, actual(doc))) this.add(replica, id, problem);
    }
    return ids;
  }

  add(replica: string, id: string, problem: string): void {
    this.list.push({ replica, id, problem });
  }
}

const byId = (docs: Doc[]) => new Map(docs.map((doc) => [String(doc._id), doc]));

export async function checkConvergence(stores: ConvergeStores): Promise<ConvergeReport> {
  const [
    authUsers,
    tickets,
    tasksTeams,
    tasksMemberships,
    tasksTickets,
    tasksUsers,
    notificationUsers,
    ticketsUsers,
    authTeams,
    authMemberships,
    inbox,
  ] = await Promise.all([
    readMongo(stores.auth, 'users'),
    readMongo(stores.tickets, 'tickets'),
    readMongo(stores.tasks, 'teams'),
    readMongo(stores.tasks, 'memberships'),
    readMongo(stores.tasks, 'tickets'),
    readMongo(stores.tasks, 'users'),
    readMongo(stores.notifications, 'users'),
    readMongo(stores.tickets, 'users'),
    readMongo(stores.auth, 'teams'),
    readMongo(stores.auth, 'memberships'),
    readMongo(stores.notifications, 'notifications', { userId: 1 }),
  ]);
  const [teams, memberships, rolePermissions, directory] = await Promise.all([
    readPg<{ id: string; name: string; version: number }>(
      stores.teams,
      'SELECT id::text, name, version FROM teams',
    ),
    readPg<{ team_id: string; user_id: string; role: string; removed: boolean; version: number }>(
      stores.teams,
      'SELECT team_id::text, user_id, role, removed_at IS NOT NULL AS removed, version FROM team_memberships',
    ),
    readPg<{ team_id: string; role: string; permission: string }>(
      stores.teams,
      'SELECT team_id::text, role, permission FROM role_permissions ORDER BY permission',
    ),
    readPg<Doc & { email: string; first_name: string | null; last_name: string | null }>(
      stores.teamsDirectory ?? stores.teams,
      'SELECT id AS _id, email, first_name, last_name, avatar_url, session_version, email_verified, deleted_at IS NOT NULL AS deleted, version FROM users',
    ),
  ]);
  const found = new Differences();
  const user = (u: Doc) => ({ id: String(u._id), version: u.version });
  // Absent on a user (or a copy) from before session versions: 0, as its tokens were.
  const sessionVersion = (u: Doc) => (typeof u.sessionVersion === 'number' ? u.sessionVersion : 0);
  const deleted = (u: Doc) => u.deletedAt !== null && u.deletedAt !== undefined;
  // Absent on a user from before verification: never asked, verified (as its events said).
  const emailVerified = (u: Doc) => u.emailVerifiedAt !== null;

  // teams' user directory ← auth
  const directoryIds = found.compare(
    'teams users',
    authUsers,
    byId(directory),
    (u) => ({
      id: String(u._id),
      fields: deleted(u)
        ? {
            email: null,
            firstName: null,
            lastName: null,
            avatarUrl: null,
            deleted: true,
            version: u.version,
          }
        : {
            email: u.email,
            firstName: u.firstName ?? null,
            lastName: u.lastName ?? null,
            avatarUrl: u.avatarUrl ?? null,
            sessionVersion: sessionVersion(u),
            emailVerified: emailVerified(u),
            deleted: false,
            version: u.version,
          },
    }),
    (d) => ({
      email: d.email,
      firstName: d.first_name,
      lastName: d.last_name,
      avatarUrl: d.avatar_url,
      sessionVersion: d.session_version,
      emailVerified: d.email_verified,
      deleted: d.deleted,
      version: d.version,
    }),
  );
  for (const d of directory) {
    if (!directoryIds.has(String(d._id))) found.add('teams users', String(d._id), 'not in auth');
  }

  // tasks' and notifications' users ← auth
  found.compare(
    'tasks users',
    authUsers,
    byId(tasksUsers),
    (u) => ({
      id: String(u._id),
      fields: deleted(u)
        ? { displayName: null, deleted: true, version: u.version }
        : {
            displayName: displayName(u as NamedPerson),
            sessionVersion: sessionVersion(u),
            deleted: false,
            version: u.version,
          },
    }),
    (d) => ({
      displayName: d.displayName ?? null,
      sessionVersion: sessionVersion(d),
      deleted: d.deleted ?? false,
      version: d.version,
    }),
  );
  // tickets' users ← auth: only what ends sessions
  found.compare(
    'tickets users',
    authUsers,
    byId(ticketsUsers),
    (u) => ({
      id: String(u._id),
      fields: deleted(u)
        ? { deleted: true, version: u.version }
        : { sessionVersion: sessionVersion(u), deleted: false, version: u.version },
    }),
    (d) => ({ sessionVersion: sessionVersion(d), deleted: d.deleted ?? false, version: d.version }),
  );
  found.compare(
    'notifications users',
    authUsers,
    byId(notificationUsers),
    (u) => {
      const notifications = (u.preferences as { notifications?: Record<string, unknown> })
        ?.notifications;
      return {
        id: user(u).id,
        fields: deleted(u)
          ? {
              email: null,
              firstName: null,
              lastName: null,
              emailEnabled: null,
              frequency: null,
              deleted: true,
              version: u.version,
            }
          : {
              email: u.email,
              firstName: u.firstName ?? null,
              lastName: u.lastName ?? null,
              emailEnabled: notifications?.email,
              frequency: notifications?.frequency,
              sessionVersion: sessionVersion(u),
              deleted: false,
              version: u.version,
            },
      };
    },
    (d) => ({
      email: d.email ?? null,
      firstName: d.firstName ?? null,
      lastName: d.lastName ?? null,
      emailEnabled: d.emailEnabled ?? null,
      frequency: d.frequency ?? null,
      sessionVersion: sessionVersion(d),
      deleted: d.deleted ?? false,
      version: d.version,
    }),
  );

  // tasks' teams ← teams (a deleted team is gone from teams and marked deleted in the replica)
  const permissionsOf = (teamId: string) =>
    Object.fromEntries(
      ROLES.map((role) => [
        role,
        rolePermissions
          .filter((p) => p.team_id === teamId && p.role === role)
          .map((p) => p.permission)
          .sort(),
      ]),
    );
  const teamIds = found.compare(
    'tasks teams',
    teams,
    byId(tasksTeams),
    (t) => ({
      id: t.id,
      fields: {
        name: t.name,
        permissions: permissionsOf(t.id),
        deleted: false,
        version: t.version,
      },
    }),
    (d) => {
      const permissions = (d.permissions ?? {}) as Record<string, string[]>;
      return {
        name: d.name,
        permissions: Object.fromEntries(
          ROLES.map((role) => [role, [...(permissions[role] ?? [])].sort()]),
        ),
        deleted: d.deleted ?? false,
        version: d.version,
      };
    },
  );
  for (const t of tasksTeams) {
    if (!teamIds.has(String(t._id)) && t.deleted !== true) {
      found.add('tasks teams', String(t._id), 'deleted in teams, not in the replica');
    }
  }

  // tasks' memberships ← teams (a deleted team's memberships are inactive)
  const membershipIds = found.compare(
    'tasks memberships',
    memberships,
    byId(tasksMemberships),
    (m) => ({
      id: `${m.team_id}:${m.user_id}`,
      fields: { role: m.role, active: !m.removed, version: m.version },
    }),
    (d) => ({ role: d.role, active: d.active, version: d.version }),
  );
  for (const m of tasksMemberships) {
    if (!membershipIds.has(String(m._id)) && m.active !== false) {
      found.add('tasks memberships', String(m._id), 'active, but its team is deleted');
    }
  }

  // tasks' tickets ← tickets (soft-deleted tickets are marked deleted)
  const ticketIds = found.compare(
    'tasks tickets',
    tickets,
    byId(tasksTickets),
    (t) => ({
      id: String(t._id),
      fields: {
        title: t.title,
        price: t.price,
        userId: t.userId,
        deleted: t.deletedAt !== null && t.deletedAt !== undefined,
        version: t.version,
      },
    }),
    (d) => ({
      title: d.title,
      price: d.price,
      userId: d.userId,
      deleted: d.deleted ?? false,
      version: d.version,
    }),
  );
  for (const t of tasksTickets) {
    if (!ticketIds.has(String(t._id))) found.add('tasks tickets', String(t._id), 'not in tickets');
  }

  // auth's teams and memberships ← teams (what auth needs to refuse a last admin's deletion; a
  // deleted team is gone from teams, marked deleted in auth, its memberships left as they were)
  const authTeamIds = found.compare(
    'auth teams',
    teams,
    byId(authTeams),
    (t) => ({ id: t.id, fields: { name: t.name, deleted: false, version: t.version } }),
    (d) => ({ name: d.name, deleted: d.deleted ?? false, version: d.version }),
  );
  const deletedInAuth = new Set(authTeams.filter((t) => t.deleted === true).map((t) => t._id));
  for (const t of authTeams) {
    if (!authTeamIds.has(String(t._id)) && t.deleted !== true) {
      found.add('auth teams', String(t._id), 'deleted in teams, not in the replica');
    }
  }
  const authMembershipIds = found.compare(
    'auth memberships',
    memberships,
    byId(authMemberships),
    (m) => ({
      id: `${m.team_id}:${m.user_id}`,
      fields: { role: m.role, active: !m.removed, version: m.version },
    }),
    (d) => ({ role: d.role, active: d.active, version: d.version }),
  );
  for (const m of authMemberships) {
    if (!authMembershipIds.has(String(m._id)) && !deletedInAuth.has(String(m.teamId))) {
      found.add('auth memberships', String(m._id), 'not in teams, and its team is not deleted');
    }
  }

  // A deleted account holds nothing any more: no membership in teams, no inbox in notifications.
  const deletedUsers = new Set(authUsers.filter(deleted).map((u) => String(u._id)));
  for (const m of memberships) {
    if (deletedUsers.has(m.user_id) && !m.removed) {
      found.add('teams memberships', `${m.team_id}:${m.user_id}`, 'a deleted account is a member');
    }
  }
  for (const n of inbox) {
    if (deletedUsers.has(String(n.userId))) {
      found.add('notifications inbox', String(n._id), 'a deleted account has a notification');
    }
  }

  return { checked: found.checked, differences: found.list };
}
