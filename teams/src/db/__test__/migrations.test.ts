import { PERMISSIONS, PG_OUTBOX_DDL } from '@taskforge/common';
import { startPostgres, type TestPostgres } from '@taskforge/common/testing';
import { Pool } from 'pg';
import { migrate, migrateCommand } from '../../test/migrate';
import { MIGRATIONS_TABLE } from '../migration-files';

let pg: TestPostgres;
let pool: Pool;

beforeAll(async () => {
  pg = await startPostgres();
  pool = new Pool({ connectionString: pg.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await pg.stop();
});

/** Tables, columns, constraints, indexes and triggers of a schema, in a comparable form. */
async function schemaOf(db: Pool, schema = 'public'): Promise<Record<string, string[]>> {
  const list = async (sql: string) =>
    (await db.query<{ item: string }>(sql, [schema])).rows.map((row) => row.item);
  return {
    columns: await list(
      `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
              coalesce(column_default, '') || ' ' || coalesce(datetime_precision::text, '') AS item
         FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '${MIGRATIONS_TABLE}'
        ORDER BY 1`,
    ),
    constraints: await list(
      `SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) AS item FROM pg_constraint
        WHERE connamespace = $1::regnamespace AND conrelid::regclass::text <> '${MIGRATIONS_TABLE}'
        ORDER BY 1`,
    ),
    indexes: await list(
      `SELECT indexdef AS item FROM pg_indexes
        WHERE schemaname = $1 AND tablename <> '${MIGRATIONS_TABLE}' ORDER BY 1`,
    ),
    triggers: await list(
      `SELECT t.tgrelid::regclass || ' ' || t.tgname AS item
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND c.relnamespace = $1::regnamespace ORDER BY 1`,
    ),
  };
}

const tables = async () =>
  (
    await pool.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    )
  ).rows.map((row) => row.tablename);

const ranMigrations = async () =>
  (
    await pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY run_on, id`)
  ).rows.map((row) => row.name);

describe('the migrations', () => {
  it('run up, down to nothing, and up again to the same schema', async () => {
    await migrate(pool, 'up');
    expect(await tables()).toEqual([
      'audit_deleted_users',
      'audit_logs',
      'outbox',
      'permissions',
      MIGRATIONS_TABLE,
      'role_permissions',
      'team_memberships',
      'teams',
      'users',
    ]);
    expect(await ranMigrations()).toEqual([
      '0001_outbox',
      '0002_users',
      '0003_teams',
      '0004_audit-logs',
      '0005_user-session-versions',
      '0006_user-deletion',
      '0007_email-verification',
    ]);
    const first = await schemaOf(pool);

    await migrate(pool, 'down', 'all');
    expect(await tables()).toEqual([MIGRATIONS_TABLE]);
    expect(await ranMigrations()).toEqual([]);
    const leftovers = await pool.query(
      `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace`,
    );
    expect(leftovers.rows).toEqual([]);

    await migrate(pool, 'up');
    expect(await schemaOf(pool)).toEqual(first);
  });

  it('step down and up one migration at a time', async () => {
    await migrate(pool, 'up');
    const userColumns = async () =>
      (
        await pool.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_name = 'users'`,
        )
      ).rows.map((row) => row.column_name);
    expect(await userColumns()).toContain('email_verified');
    await migrate(pool, 'down');
    expect(await userColumns()).not.toContain('email_verified');
    expect(await userColumns()).toContain('deleted_at');
    await migrate(pool, 'down');
    expect(await userColumns()).not.toContain('deleted_at');
    expect(await tables()).not.toContain('audit_deleted_users');
    expect(await userColumns()).toContain('session_version');
    await migrate(pool, 'down');
    expect(await userColumns()).not.toContain('session_version');
    expect(await tables()).toContain('audit_logs');
    await migrate(pool, 'down');
    expect(await tables()).not.toContain('audit_logs');
    expect(await tables()).toContain('teams');
    await migrate(pool, 'down', 2);
    expect(await tables()).toEqual(['outbox', MIGRATIONS_TABLE]);
    await migrate(pool, 'up', 1);
    expect(await ranMigrations()).toEqual(['0001_outbox', '0002_users']);
    await migrate(pool, 'up');
    expect(await ranMigrations()).toHaveLength(7);
  });

  it('count the directory’s users from before email verification as verified', async () => {
    // Their user events carried no emailVerified: accounts that were never asked stay addable.
    await migrate(pool, 'up');
    await migrate(pool, 'down');
    await pool.query(
      `INSERT INTO users (id, email, version) VALUES ('before-verification', 'old@example.test', 3)`,
    );
    await migrate(pool, 'up');
    const { rows } = await pool.query('SELECT email_verified FROM users');
    expect(rows).toEqual([{ email_verified: true }]);
    await pool.query('DELETE FROM users');
  });

  it('create the outbox exactly as common’s PG_OUTBOX_DDL does', async () => {
    await migrate(pool, 'up');
    await pool.query('CREATE SCHEMA reference');
    const client = await pool.connect();
    try {
      await client.query('SET search_path TO reference');
      await client.query(PG_OUTBOX_DDL);
    } finally {
      await client.query('RESET search_path');
      client.release();
    }
    const outboxOnly = (schema: Record<string, string[]>, prefix: string) =>
      Object.fromEntries(
        Object.entries(schema).map(([kind, items]) => [
          kind,
          items
            .filter((item) => item.includes('outbox'))
            .map((item) => item.replaceAll(prefix, '')),
        ]),
      );
    const migrated = outboxOnly(await schemaOf(pool, 'public'), 'public.');
    const reference = outboxOnly(await schemaOf(pool, 'reference'), 'reference.');
    expect(migrated.columns!.length).toBeGreaterThan(0);
    expect(migrated).toEqual(reference);
    await pool.query('DROP SCHEMA reference CASCADE');
  });

  it('name every permission of the event catalogue', async () => {
    await migrate(pool, 'up');
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM permissions');
    expect(rows.map((row) => row.name).sort()).toEqual([...PERMISSIONS].sort());
  });

  it('index every lookup the API and the listeners make', async () => {
    await migrate(pool, 'up');
    const { rows } = await pool.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const defs = rows.map((row) => row.indexdef.replace(/ USING btree/, ''));
    expect(defs).toEqual(
      expect.arrayContaining([
        'CREATE UNIQUE INDEX users_email_key ON public.users (lower(email))',
        'CREATE UNIQUE INDEX team_memberships_pkey ON public.team_memberships (team_id, user_id)',
        'CREATE INDEX team_memberships_user_idx ON public.team_memberships (user_id, joined_at DESC, team_id DESC) WHERE (removed_at IS NULL)',
        'CREATE INDEX team_memberships_team_joined_idx ON public.team_memberships (team_id, joined_at, user_id) WHERE (removed_at IS NULL)',
        'CREATE UNIQUE INDEX role_permissions_pkey ON public.role_permissions (team_id, role, permission)',
        'CREATE UNIQUE INDEX audit_logs_event_id_key ON public.audit_logs (event_id)',
        'CREATE INDEX audit_logs_team_idx ON public.audit_logs (team_id, occurred_at DESC, id DESC)',
        'CREATE INDEX audit_logs_team_entity_idx ON public.audit_logs (team_id, entity_type, entity_id, occurred_at DESC, id DESC)',
        'CREATE INDEX audit_logs_team_actor_idx ON public.audit_logs (team_id, actor_id, occurred_at DESC, id DESC)',
        'CREATE INDEX audit_logs_entity_idx ON public.audit_logs (entity_type, entity_id)',
        "CREATE INDEX audit_logs_reset_user_idx ON public.audit_logs (((new_state ->> 'userId'::text))) WHERE (entity_type = 'password-reset'::text)",
        "CREATE INDEX audit_logs_verification_user_idx ON public.audit_logs (((new_state ->> 'userId'::text))) WHERE (entity_type = 'email-verification'::text)",
        'CREATE INDEX audit_logs_actor_idx ON public.audit_logs (actor_id)',
        'CREATE UNIQUE INDEX audit_deleted_users_pkey ON public.audit_deleted_users (user_id)',
      ]),
    );
  });

  it('run through the command a Kubernetes Job runs, which fails on unknown arguments', async () => {
    // A process of its own (several seconds on a busy machine), so done once here.
    await migrateCommand(pg.url, 'up');
    expect(await ranMigrations()).toHaveLength(7);
    await migrateCommand(pg.url, 'down', 'all');
    expect(await tables()).toEqual([MIGRATIONS_TABLE]);
    await expect(migrateCommand(pg.url, 'sideways')).rejects.toMatchObject({ code: 1 });
  }, 120_000);
});
