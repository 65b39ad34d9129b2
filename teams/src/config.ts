import { baseConfigSchema, loadConfig } from '@taskforge/common';
import { z } from 'zod';

const databaseConfigSchema = z.object({
  NODE_ENV: baseConfigSchema.shape.NODE_ENV,
  DATABASE_URL: z.string().min(1),
});

export const teamsConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: databaseConfigSchema.shape.DATABASE_URL,
  PG_POOL_MAX: z.coerce.number().int().positive().default(10),
});

export type TeamsConfig = z.output<typeof teamsConfigSchema>;
export type DatabaseConfig = z.output<typeof databaseConfigSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): TeamsConfig {
  return loadConfig(teamsConfigSchema, env);
}

/** What the migrate and seed commands need: only the database, not NATS, Redis or keys. */
export function readDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return loadConfig(databaseConfigSchema, env);
}
