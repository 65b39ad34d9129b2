import { faker } from '@faker-js/faker';
import { ApiSession } from './api-session';
import { verifyEmails } from './email-verification';

const STATUSES = ['backlog', 'todo', 'in_progress', 'in_review', 'done'] as const;
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const SEED_PASSWORD = 'taskforge-demo';

export interface SeededAccount {
  email: string;
  name: string;
  /** In the seeded teams: owner, member or guest; undefined where teams does not run. */
  role?: 'owner' | 'member' | 'guest';
}

export interface SeedSummary {
  password: string;
  accounts: SeededAccount[];
  tickets: number;
  teams: number;
  tasks: number;
}

/**
 * Demo data through the API, as people would make it: users (password `taskforge-demo`) who
 * verified their addresses (the links' tokens read from the stream at `natsUrl`), tickets, and,
 * where those services run, teams with members and a board of tasks.
 */
export async function seed(
  baseUrl: string,
  natsUrl: string,
  options: { users?: number } = {},
): Promise<SeedSummary> {
  faker.seed(20_261_122);
  const users: Array<{
    session: ApiSession;
    id: string;
    email: string;
    name: string;
    verified: boolean;
  }> = [];
  for (let i = 0; i < (options.users ?? 5); i += 1) {
    const session = new ApiSession(baseUrl);
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const email = faker.internet
      .email({ firstName, lastName, provider: 'taskforge.test' })
      .toLowerCase();
    const created = await session.call<{ id: string }>('POST', '/api/users/signup', {
      email,
      password: SEED_PASSWORD,
    });
    if (created.status === 400) {
      // Already seeded: sign in instead, so re-running --seed adds to what is there.
      await session.expect('POST', '/api/users/signin', { email, password: SEED_PASSWORD }, 200);
    } else if (created.status !== 201) {
      throw new Error(`signup answered ${created.status}`);
    }
    const me = await session.expect<{ id: string; emailVerified: boolean }>(
      'PATCH',
      '/api/users/me',
      { firstName, lastName, bio: faker.person.bio() },
      200,
    );
    if (created.status === 400 && !me.emailVerified) {
      // Seeded by a run that stopped before verifying it: a new link, as its owner would ask.
      await session.expect('POST', '/api/users/me/email-verification', undefined, 202);
    }
    const name = `${firstName} ${lastName}`;
    users.push({ session, id: me.id, email, name, verified: me.emailVerified });
  }
  // Each opens the link mailed to them, so that anyone can add them to a team by email.
  await verifyEmails(
    baseUrl,
    natsUrl,
    users.filter((user) => !user.verified).map((user) => user.id),
  );

  let tickets = 0;
  for (const user of users) {
    for (let i = 0; i < 3; i += 1) {
      await user.session.expect(
        'POST',
        '/api/tickets',
        {
          title: `${faker.music.genre()} night: ${faker.music.artist()}`.slice(0, 100),
          price: Number(faker.commerce.price({ min: 5, max: 150 })),
        },
        201,
      );
      tickets += 1;
    }
  }

  const owner = users[0];
  let teams = 0;
  let tasks = 0;
  const teamsRunning = owner && (await owner.session.call('GET', '/api/teams')).status === 200;
  if (owner && teamsRunning) {
    for (let t = 0; t < 2; t += 1) {
      const team = await owner.session.expect<{ id: string }>(
        'POST',
        '/api/teams',
        { name: `${faker.company.name()} ${faker.company.buzzNoun()}`.slice(0, 100) },
        201,
      );
      teams += 1;
      const members = users.slice(1);
      for (const [index, member] of members.entries()) {
        await owner.session.expect(
          'POST',
          `/api/teams/${team.id}/members`,
          { email: member.email, role: index === members.length - 1 ? 'guest' : 'member' },
          201,
        );
      }
      const tasksRunning =
        (await owner.session.call('GET', `/api/tasks?teamId=${team.id}`)).status !== 503;
      if (!tasksRunning) continue;
      const assignees = [owner, ...members.slice(0, -1)];
      for (let i = 0; i < 12; i += 1) {
        const due = faker.date.soon({ days: 21, refDate: faker.date.recent({ days: 7 }) });
        await owner.session.expect(
          'POST',
          '/api/tasks',
          {
            teamId: team.id,
            title: faker.hacker.phrase().slice(0, 200),
            description: faker.lorem.paragraphs(2),
            status: faker.helpers.arrayElement(STATUSES),
            priority: faker.helpers.arrayElement(PRIORITIES),
            assigneeId: faker.helpers.arrayElement(assignees).id,
            dueDate: due.toISOString(),
            tags: faker.helpers.arrayElements(['frontend', 'backend', 'infra', 'bug', 'docs'], {
              min: 0,
              max: 2,
            }),
          },
          201,
        );
        tasks += 1;
      }
    }
  }
  const roleOf = (index: number): SeededAccount['role'] => {
    if (teams === 0) return undefined;
    if (index === 0) return 'owner';
    return index === users.length - 1 ? 'guest' : 'member';
  };
  return {
    password: SEED_PASSWORD,
    accounts: users.map((user, index) => {
      const role = roleOf(index);
      return { email: user.email, name: user.name, ...(role ? { role } : {}) };
    }),
    tickets,
    teams,
    tasks,
  };
}

/** What `--seed` prints: the counts, then every account it made, to sign in with. */
export function describeSeed(summary: SeedSummary): string[] {
  const width = Math.max(...summary.accounts.map((account) => account.email.length));
  return [
    `seeded ${summary.accounts.length} users, ${summary.tickets} tickets, ${summary.teams} teams, ` +
      `${summary.tasks} tasks; sign in as any of them with the password ${summary.password}:`,
    ...summary.accounts.map((account) =>
      [
        `  ${account.email.padEnd(width)}`,
        account.name,
        ...(account.role ? [`(${account.role} of the seeded teams)`] : []),
      ].join('  '),
    ),
  ];
}
