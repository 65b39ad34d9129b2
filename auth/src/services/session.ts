import { JWT_ALGORITHM, type UserPayload } from '@taskforge/common';
import type { Request } from 'express';
import jwt from 'jsonwebtoken';
import type { AuthConfig } from '../config';
import type { UserDocument } from '../models/user';

export type SessionConfig = Pick<AuthConfig, 'JWT_PRIVATE_KEY' | 'JWT_TTL_SECONDS'>;

/** Signs the session token (ES256, verifiable with the public key alone) into the cookie. */
export function startSession(req: Request, user: UserDocument, config: SessionConfig): void {
  const payload: UserPayload = { id: user._id.toString(), email: user.email };
  const token = jwt.sign(payload, config.JWT_PRIVATE_KEY, {
    algorithm: JWT_ALGORITHM,
    expiresIn: config.JWT_TTL_SECONDS,
  });
  req.session = { jwt: token };
}
