import { baseConfigSchema, loadConfig } from '@taskforge/common';
import { z } from 'zod';

export const ticketsConfigSchema = baseConfigSchema.extend({
  MONGO_URL: z.string().min(1),
});

export type TicketsConfig = z.output<typeof ticketsConfigSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): TicketsConfig {
  return loadConfig(ticketsConfigSchema, env);
}
