import { editDocument, eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { updateMe, type ProfileUpdate } from '../../contracts/users';
import { loadUser, toUserResponse, userEventData, type UserDocument } from '../../models/user';

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

export function updateMeRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.patch(
    updateMe.path,
    requireAuth,
    handle(updateMe, async ({ body: changes }, req, res) => {
      const userId = req.currentUser!.id;
      // Another pod's save first: the changes are applied again on top of its version.
      const user = await editDocument(
        () => loadUser(userId),
        (current, version) => {
          applyChanges(current, changes);
          return current.isModified()
            ? [{ subject: 'user.updated', data: userEventData(current, version) }]
            : [];
        },
        { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
      );
      res.send(toUserResponse(user));
    }),
  );
  return router;
}
