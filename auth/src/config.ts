import { createPublicKey } from 'node:crypto';
import { baseConfigSchema, loadConfig, pemKey } from '@taskforge/common';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

function publicKeyOf(pem: string): string | undefined {
  try {
    return createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return undefined;
  }
}

export const authConfigSchema = baseConfigSchema
  .extend({
    MONGO_URL: z.string().min(1),
    /** ES256 (P-256) private key; only auth holds it. */
    JWT_PRIVATE_KEY: pemKey,
    JWT_TTL_SECONDS: positiveInt.default(86_400),
    SIGNIN_MAX_FAILURES_PER_EMAIL: positiveInt.default(5),
    SIGNIN_MAX_FAILURES_PER_IP: positiveInt.default(30),
    SIGNIN_WINDOW_MS: positiveInt.default(15 * 60_000),
    /** How long a password reset link works. */
    PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(15).max(60).default(30),
    /** Reset requests per address and per email within the window (answered 429 past it). */
    PASSWORD_RESET_MAX_PER_EMAIL: positiveInt.default(3),
    PASSWORD_RESET_MAX_PER_IP: positiveInt.default(20),
    PASSWORD_RESET_WINDOW_MS: positiveInt.default(60 * 60_000),
    /** How long an email verification link works (within the day its event stays on the stream). */
    EMAIL_VERIFICATION_TTL_HOURS: z.coerce.number().int().min(1).max(24).default(24),
    /** Links a signed-in user may ask for (again, or for a new address) within the window. */
    EMAIL_VERIFICATION_MAX_PER_USER: positiveInt.default(5),
    EMAIL_VERIFICATION_WINDOW_MS: positiveInt.default(60 * 60_000),
  })
  .superRefine((config, ctx) => {
    // A private key that does not match the public one would mint tokens no service accepts.
    const derived = publicKeyOf(config.JWT_PRIVATE_KEY);
    if (!derived) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_PRIVATE_KEY'],
        message: 'is not a valid private key',
      });
    } else if (derived !== publicKeyOf(config.JWT_PUBLIC_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_PRIVATE_KEY'],
        message: 'does not match JWT_PUBLIC_KEY',
      });
    }
  });

export type AuthConfig = z.output<typeof authConfigSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return loadConfig(authConfigSchema, env);
}
