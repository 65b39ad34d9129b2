/*
 * `npm run seed -w teams`: demo data for a local stack. Puts three users in the directory (as
 * if auth's user.created had arrived), then creates a team and adds them through the same
 * domain functions the API uses, so the events land in the outbox and the service's relay
 * publishes them when it runs. Running it again changes nothing.
 */
import { ConfigError, createLogger, type EventMetadata, type Role } from '@taskforge/common';
import { Pool } from 'pg';
import { readDatabaseConfig } from '../config';
import { applyUserEvent } from '../replicas/user';
import { addMember } from '../services/membership-writes';
import { createTeam } from '../services/team-writes';

export const DEMO_TEAM_NAME = 'Demo team';

export const DEMO_USERS = [
  {
    id: '5eed00000000000000000001',
    email: 'ada@taskforge.test',
    firstName: 'Ada',
    lastName: 'Lovelace',
    role: 'admin',
  },
  {
    id: '5eed00000000000000000002',
    email: 'grace@taskforge.test',
    firstName: 'Grace',
    lastName: 'Hopper',
    role: 'member',
  },
  {
    id: '5eed00000000000000000003',
    email: 'linus@taskforge.test',
    firstName: 'Linus',
    lastName: 'Torvalds',
    role: 'guest',
  },
] as const satisfies ReadonlyArray<{ role: Role } & Record<string, string>>;

export async function seed(pool: Pool): Promise<{ teamId: string; created: boolean }> {
  for (const user of DEMO_USERS) {
    await applyUserEvent(pool, {
      id: user.id,
      version: 0,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      avatarUrl: null,
      preferences: {
        theme: 'system',
        notifications: { email: true, push: true, frequency: 'daily' },
      },
    });
  }

  const [owner, ...others] = DEMO_USERS;
  const existing = await pool.query<{ id: string }>(
    'SELECT id FROM teams WHERE created_by = $1 AND name = $2',
    [owner.id, DEMO_TEAM_NAME],
  );
  if (existing.rows[0]) return { teamId: existing.rows[0].id, created: false };

  const metadata: EventMetadata = { actorId: owner.id, requestId: 'seed' };
  // No relay here to tell: the service's own publishes what the writes left in the outbox.
  const writes = { pool, eventsRecorded: () => undefined };
  const { team } = await createTeam(
    writes,
    { name: DEMO_TEAM_NAME, description: 'Created by npm run seed' },
    owner.id,
    metadata,
  );
  for (const user of others) {
    await addMember(writes, team.id, owner.id, { userId: user.id }, user.role, metadata);
  }
  return { teamId: team.id, created: true };
}

async function main(): Promise<void> {
  const logger = createLogger('teams-seed');
  let pool: Pool | undefined;
  try {
    pool = new Pool({ connectionString: readDatabaseConfig().DATABASE_URL, max: 1 });
    const { teamId, created } = await seed(pool);
    logger.info(
      { teamId, users: DEMO_USERS.map((user) => user.email) },
      created ? 'demo team created' : 'demo team already there',
    );
  } catch (err) {
    if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
    else logger.fatal({ err }, 'seed failed');
    process.exitCode = 1;
  } finally {
    await pool?.end();
  }
}

if (require.main === module) void main();
