import { ApiSession } from '@taskforge/stack/api-session';
import { verifyEmails } from '@taskforge/stack/email-verification';

export interface BenchUser {
  session: ApiSession;
  id: string;
  email: string;
  /** The `session=…` cookie, for autocannon and the SSE clients. */
  cookie: string;
}

export interface BenchData {
  admin: BenchUser;
  members: BenchUser[];
  teamId: string;
  taskIds: string[];
  ticketIds: string[];
}

const PASSWORD = 'bench-password-1';

export async function signUp(gateway: string, name: string): Promise<BenchUser> {
  const session = new ApiSession(gateway);
  const email = `${name}-${Date.now().toString(36)}@bench.test`;
  const user = await session.expect<{ id: string }>(
    'POST',
    '/api/users/signup',
    { email, password: PASSWORD },
    201,
  );
  return { session, id: user.id, email, cookie: session.cookieHeader() };
}

/** Runs `work` over `items`, `concurrency` at a time, in order of start. */
export async function inBatches<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/**
 * A team with an admin and members, tasks and tickets, made through the public API. The members
 * open their verification links (read from the stack's stream at `natsUrl`) to be added by email.
 */
export async function seedThroughApi(
  gateway: string,
  natsUrl: string,
  options: { members: number; tasks: number; tickets: number },
): Promise<BenchData> {
  const admin = await signUp(gateway, 'admin');
  const members = await inBatches(
    Array.from({ length: options.members }, (_, i) => i),
    4,
    (i) => signUp(gateway, `member${i}`),
  );
  await verifyEmails(
    gateway,
    natsUrl,
    members.map((member) => member.id),
  );
  const team = await admin.session.expect<{ id: string }>(
    'POST',
    '/api/teams',
    { name: `Bench ${Date.now().toString(36)}` },
    201,
  );
  for (const member of members) {
    await admin.session.expect(
      'POST',
      `/api/teams/${team.id}/members`,
      { email: member.email, role: 'member' },
      201,
    );
  }
  const statuses = ['backlog', 'todo', 'in_progress', 'in_review', 'done'];
  const priorities = ['low', 'medium', 'high', 'urgent'];
  const tasks = await inBatches(
    Array.from({ length: options.tasks }, (_, i) => i),
    8,
    (i) =>
      admin.session.expect<{ id: string }>(
        'POST',
        '/api/tasks',
        {
          teamId: team.id,
          title: `Bench task ${i}`,
          description: 'Seeded by npm run bench',
          status: statuses[i % statuses.length],
          priority: priorities[i % priorities.length],
          tags: i % 3 === 0 ? ['backend'] : [],
          dueDate: new Date(Date.now() + ((i % 30) - 10) * 86_400_000).toISOString(),
        },
        201,
      ),
  );
  const tickets = await inBatches(
    Array.from({ length: options.tickets }, (_, i) => i),
    8,
    (i) =>
      admin.session.expect<{ id: string }>(
        'POST',
        '/api/tickets',
        { title: `Bench ticket ${i}`, price: 10 + (i % 90) },
        201,
      ),
  );
  return {
    admin,
    members,
    teamId: team.id,
    taskIds: tasks.map((t) => t.id),
    ticketIds: tickets.map((t) => t.id),
  };
}
