/// <reference types="cookie-session" preserve="true" />
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
export function verifySessionToken(token: unknown, publicKey: string): UserPayload | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
  try {
    const payload = jwt.verify(token, publicKey, { algorithms: [JWT_ALGORITHM] });
    if (typeof payload !== 'object' || payload === null) return undefined;
    const { id, email } = payload as Record<string, unknown>;
    if (typeof id !== 'string' || typeof email !== 'string') return undefined;
    return { id, email };
  } catch {
    return undefined;
  }
}

/** Reads the JWT from the cookie session and sets `req.currentUser` when it is valid. */
export function currentUser(publicKey: string): RequestHandler {
  return (req, _res, next) => {
    const user = verifySessionToken(req.session?.jwt, publicKey);
    if (user) req.currentUser = user;
    next();
  };
}
