/// <reference types="cookie-session" preserve="true" />
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt, { type Algorithm } from 'jsonwebtoken';

export interface UserPayload {
  id: string;
  email: string;
}

/**
 * The session version a user's tokens must have at least (from the service's copy of the user,
 * kept by the `user.*` events), or undefined when the service does not know the user yet;
 * `ACCOUNT_DELETED` (no token is new enough) once it has seen the account deleted.
 */
export type SessionVersionLookup = (userId: string) => Promise<number | undefined>;

/** The session version of a deleted account: every token of the user is refused. */
export const ACCOUNT_DELETED = Number.POSITIVE_INFINITY;

/** A lookup that remembers its answers for a while; `forget` drops one user's at once. */
export interface SessionVersions extends SessionVersionLookup {
  forget(userId: string): void;
}

/** The claim of a session token that carries the user's session version when it was signed. */
export const SESSION_VERSION_CLAIM = 'sv';

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

interface VerifiedToken {
  user: UserPayload;
  sessionVersion: number;
  expiresAtMs: number;
}

function verifyPayload(token: unknown, publicKey: string | KeyObject): VerifiedToken | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
  try {
    const payload = jwt.verify(token, publicKey, { algorithms: [JWT_ALGORITHM] });
    if (typeof payload !== 'object' || payload === null) return undefined;
    const { id, email, exp, [SESSION_VERSION_CLAIM]: sv } = payload as Record<string, unknown>;
    if (typeof id !== 'string' || typeof email !== 'string') return undefined;
    // Tokens without an expiry are checked every time, never remembered.
    const expiresAtMs = typeof exp === 'number' ? exp * 1000 : 0;
    const sessionVersion = typeof sv === 'number' && Number.isInteger(sv) ? sv : 0;
    return { user: { id, email }, sessionVersion, expiresAtMs };
  } catch {
    return undefined;
  }
}

/** How many verified tokens one process remembers (about 300 bytes each). */
const VERIFIED_TOKENS = 10_000;

/**
 * How long a process trusts a user's session version it looked up. Sessions ended elsewhere are
 * refused here within this, after the `user.updated` that says so reached this service.
 */
export const SESSION_VERSION_TTL_MS = 1000;

/**
 * The users' session versions as this process last read them, each for `ttlMs`; one lookup at a
 * time per user (requests arriving meanwhile wait for it). Failed lookups are not remembered.
 */
export function cachedSessionVersions(
  lookup: SessionVersionLookup,
  options: { ttlMs?: number; max?: number } = {},
): SessionVersions {
  const ttlMs = options.ttlMs ?? SESSION_VERSION_TTL_MS;
  const max = options.max ?? VERIFIED_TOKENS;
  const known = new Map<string, { version: Promise<number | undefined>; until: number }>();
  const cached = (userId: string) => {
    const now = Date.now();
    const entry = known.get(userId);
    if (entry && entry.until > now) return entry.version;
    known.delete(userId);
    if (known.size >= max) known.delete(known.keys().next().value as string);
    const version = lookup(userId);
    known.set(userId, { version, until: now + ttlMs });
    version.catch(() => {
      if (known.get(userId)?.version === version) known.delete(userId);
    });
    return version;
  };
  return Object.assign(cached, { forget: (userId: string) => void known.delete(userId) });
}

/**
 * Reads the JWT from the cookie session and sets `req.currentUser` when it is valid and, given
 * `sessionVersions` (usually `cachedSessionVersions` over the service's copy of the users), not
 * older than the user's session version (a session ended by "sign out everywhere", a password
 * change or reset is no session; its cookie is cleared).
 *
 * An ES256 verification costs about as much as the rest of a cached read, and the same token
 * comes back on every request of a session; so a token that verified is remembered until its own
 * expiry (its signature and claims cannot change; the session version is checked every time).
 * Failed tokens are never remembered.
 */
export function currentUser(
  publicKey: string,
  sessionVersions?: SessionVersionLookup,
): RequestHandler {
  // Parsed once: given a PEM string, jsonwebtoken parses the key again on every verification.
  const key = createPublicKey(publicKey);
  const verified = new Map<string, VerifiedToken>();
  return (req, _res, next) => {
    const token: unknown = req.session?.jwt;
    if (typeof token !== 'string') {
      next();
      return;
    }
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
    if (!entry) {
      next();
      return;
    }
    const found = entry;
    if (!sessionVersions) {
      req.currentUser = found.user;
      next();
      return;
    }
    sessionVersions(found.user.id).then(
      (version) => {
        if (version === undefined || found.sessionVersion >= version) {
          req.currentUser = found.user;
        } else {
          // Ended elsewhere: the browser drops the cookie with this answer.
          req.session = null;
        }
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
