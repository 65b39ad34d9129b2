import {
  editDocument,
  eventMetadataFrom,
  JWT_ALGORITHM,
  SESSION_VERSION_CLAIM,
  type SessionVersions,
  type UserPayload,
} from '@taskforge/common';
import type { Request } from 'express';
import jwt from 'jsonwebtoken';
import type { AuthConfig } from '../config';
import { loadUser, userEventData, type UserDocument } from '../models/user';

export type SessionConfig = Pick<AuthConfig, 'JWT_PRIVATE_KEY' | 'JWT_TTL_SECONDS'>;

/**
 * Signs the session token (ES256, verifiable with the public key alone) into the cookie, with
 * the user's session version: raising it ends this session everywhere.
 */
export function startSession(req: Request, user: UserDocument, config: SessionConfig): void {
  const payload: UserPayload = { id: user._id.toString(), email: user.email };
  const claims = { ...payload, [SESSION_VERSION_CLAIM]: user.sessionVersion ?? 0 };
  const token = jwt.sign(claims, config.JWT_PRIVATE_KEY, {
    algorithm: JWT_ALGORITHM,
    expiresIn: config.JWT_TTL_SECONDS,
  });
  req.session = { jwt: token };
}

/**
 * Ends every session of the user (the signed-in one unless `userId` says otherwise): raises the
 * session version with `change` (a new password), saves it with `user.updated` (applied again on
 * top of a profile another pod saved meanwhile),
 * and forgets this process's copy of the version so it refuses the old sessions at once. Every
 * other service does so once the event reaches it.
 */
export async function endSessions(
  req: Request,
  deps: { sessions: SessionVersions; eventsRecorded: () => void },
  change: Partial<Pick<UserDocument, 'passwordHash' | 'passwordChangedAt'>> = {},
  userId = req.currentUser!.id,
): Promise<UserDocument> {
  const user = await editDocument(
    () => loadUser(userId),
    (current, version) => {
      current.set({ ...change, sessionVersion: current.sessionVersion + 1 });
      return [{ subject: 'user.updated', data: userEventData(current, version) }];
    },
    { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
  );
  deps.sessions.forget(userId);
  return user;
}
