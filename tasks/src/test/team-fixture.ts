import type { Express } from 'express';
import type { TaskResponse } from '../contracts/tasks';
import { createTask, createTeam, type TestTeam } from './factories';
import { setupTasksTest, type TasksTestContext } from './setup';

/** What a test works on: the file's stack and app, and the team made for this test. */
export interface TeamFixture {
  readonly ctx: TasksTestContext;
  readonly app: Express;
  readonly team: TestTeam;
}

/** A team fixture with a task of that team, made for each test as well. */
export interface TaskFixture extends TeamFixture {
  readonly task: TaskResponse;
}

function ready<T>(value: T | undefined, name: string): T {
  // Read at a test file's top level, before the hooks ran, the fixture has nothing yet.
  if (value === undefined) throw new Error(`the fixture's ${name} is read before its hooks ran`);
  return value;
}

/**
 * The arrangement most tests of the routes share: the file's own stack (its database, stream
 * and Redis prefix) for the whole file, then before each test an empty database and a new team
 * with an admin, a member and a guest. Its fields are read inside tests and hooks.
 */
export function teamPerTest(options: { relay?: boolean } = {}): TeamFixture {
  let ctx: TasksTestContext | undefined;
  let team: TestTeam | undefined;
  beforeAll(async () => {
    ctx = await setupTasksTest(options);
  });
  beforeEach(async () => {
    await ready(ctx, 'ctx').reset();
    team = await createTeam();
  });
  afterAll(() => ctx?.close());
  return {
    get ctx() {
      return ready(ctx, 'ctx');
    },
    get app() {
      return ready(ctx, 'ctx').app;
    },
    get team() {
      return ready(team, 'team');
    },
  };
}

/**
 * `teamPerTest`, and for each test a task of the new team made through the API by its member;
 * `input` gives the task's fields (it may name the team's people).
 */
export function taskPerTest(
  input: (team: TestTeam) => Record<string, unknown>,
  options: { relay?: boolean } = {},
): TaskFixture {
  const given = teamPerTest(options);
  let task: TaskResponse | undefined;
  beforeEach(async () => {
    task = await createTask(given.app, given.team, input(given.team));
  });
  return {
    get ctx() {
      return given.ctx;
    },
    get app() {
      return given.app;
    },
    get team() {
      return given.team;
    },
    get task() {
      return ready(task, 'task');
    },
  };
}
