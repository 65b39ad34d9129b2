import {
  eventMetadataFrom,
  handle,
  NotFoundError,
  recordEvent,
  requireAuth,
  retryOnConflict,
} from '@taskforge/common';
import { Router } from 'express';
import { showMe, updateMe, type ProfileUpdate } from '../contracts/users';
import { findUserById, toUserResponse, userEventData, type UserDocument } from '../models/user';

function applyChanges(user: UserDocument, changes: ProfileUpdate): void {
  for (const field of ['firstName', 'lastName', 'bio', 'avatarUrl'] as const) {
    const value = changes[field];
    // An empty string clears the field, like null.
    if (value !== undefined) user.set(field, value === '' ? null : value);
  }
  const { theme, notifications } = changes.preferences ?? {};
  if (theme !== undefined) user.set('preferences.theme', theme);
  for (const key of ['email', 'push', 'frequency'] as const) {
    const value = notifications?.[key];
    if (value !== undefined) user.set(`preferences.notifications.${key}`, value);
  }
}

async function loadSignedInUser(id: string): Promise<UserDocument> {
  const user = await findUserById(id);
  if (!user) throw new NotFoundError('User not found');
  return user;
}

export function meRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();

  router.get(
    showMe.path,
    requireAuth,
    handle(showMe, async (_input, req, res) => {
      const user = await loadSignedInUser(req.currentUser!.id);
      res.send(toUserResponse(user));
    }),
  );

  router.patch(
    updateMe.path,
    requireAuth,
    handle(updateMe, async ({ body: changes }, req, res) => {
      const userId = req.currentUser!.id;
      // Another pod's save first: the changes are applied again on top of its version.
      const user = await retryOnConflict(async () => {
        const current = await loadSignedInUser(userId);
        applyChanges(current, changes);
        if (!current.isModified()) return current;
        const event = userEventData(current, current.version + 1);
        recordEvent(current, 'user.updated', event, eventMetadataFrom(req));
        await current.save();
        deps.eventsRecorded();
        return current;
      });
      res.send(toUserResponse(user));
    }),
  );

  return router;
}
