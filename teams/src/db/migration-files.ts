import { resolve } from 'node:path';

// Apart from migrate.ts so tests can name them without loading node-pg-migrate (an ES module).

/** The SQL migrations, beside `src/` and `build/` alike. */
export const MIGRATIONS_DIR = resolve(__dirname, '..', '..', 'migrations');
/** node-pg-migrate's record of which migrations ran. */
export const MIGRATIONS_TABLE = 'pgmigrations';
