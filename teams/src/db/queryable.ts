import type { Pool, PoolClient } from 'pg';

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Db = Pool | PoolClient;
