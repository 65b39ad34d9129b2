/// <reference types="cookie-session" preserve="true" />
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt, { type Algorithm } from 'jsonwebtoken';

export interface UserPayload {
  id: string;
  email: string;
}

declare global {
  // Express declares Request in a namespace; augmenting it is the supported way to add fields.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      currentUser?: UserPayload;
    }
  }
}

export const JWT_ALGORITHM: Algorithm = 'ES256';

/** Verifies a session token with the public key; anything wrong with it means "no user". */
export function verifySessionToken(
  token: unknown,
  publicKey: string | KeyObject,
): UserPayload | undefined {
  return verifyPayload(token, publicKey)?.user;
}

function verifyPayload(
  token: unknown,
  publicKey: string | KeyObject,
): { user: UserPayload; expiresAtMs: number } | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
  try {
    const payload = jwt.verify(token, publicKey, { algorithms: [JWT_ALGORITHM] });
    if (typeof payload !== 'object' || payload === null) return undefined;
    const { id, email, exp } = payload as Record<string, unknown>;
    if (typeof id !== 'string' || typeof email !== 'string') return undefined;
    // Tokens without an expiry are checked every time, never remembered.
    const expiresAtMs = typeof exp === 'number' ? exp * 1000 : 0;
    return { user: { id, email }, expiresAtMs };
  } catch {
    return undefined;
  }
}

/** How many verified tokens one process remembers (about 300 bytes each). */
const VERIFIED_TOKENS = 10_000;

/**
 * Reads the JWT from the cookie session and sets `req.currentUser` when it is valid.
 *
 * An ES256 verification costs about as much as the rest of a cached read, and the same token
 * comes back on every request of a session; so a token that verified is remembered until its own
 * expiry. Nothing else can invalidate a session token (there is no server-side revocation), so
 * the answer is the same as verifying again. Failed tokens are never remembered.
 */
export function currentUser(publicKey: string): RequestHandler {
  // Parsed once: given a PEM string, jsonwebtoken parses the key again on every verification.
  const key = createPublicKey(publicKey);
  const verified = new Map<string, { user: UserPayload; expiresAtMs: number }>();
  return (req, _res, next) => {
    const token: unknown = req.session?.jwt;
    if (typeof token === 'string') {
      const now = Date.now();
      let entry = verified.get(token);
      if (entry && entry.expiresAtMs <= now) {
        verified.delete(token);
        entry = undefined;
      }
      if (!entry) {
        entry = verifyPayload(token, key);
        if (entry && entry.expiresAtMs > now) {
          if (verified.size >= VERIFIED_TOKENS) {
            // Oldest first: a Map iterates in insertion order.
            verified.delete(verified.keys().next().value as string);
          }
          verified.set(token, entry);
        }
      }
      if (entry) req.currentUser = entry.user;
    }
    next();
  };
}
