import { createRateLimiter, ipKey } from '@taskforge/common';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../config';

/**
 * The limit on opening a mailed link (a reset, a verification), per address, each kind in a
 * bucket of its own. A token is 256 random bits, past guessing; this bounds the load of trying.
 */
export function linkConfirmationLimiter(
  deps: { config: AuthConfig; redis: Redis; redisPrefix: string },
  kind: 'reset' | 'verify',
) {
  return createRateLimiter({
    redis: deps.redis,
    prefix: `${deps.redisPrefix}:${kind}-confirm-ip`,
    windowMs: deps.config.PASSWORD_RESET_WINDOW_MS,
    limit: deps.config.PASSWORD_RESET_MAX_PER_IP,
    keyGenerator: ipKey,
    message: 'Too many attempts, please try again later',
  });
}
