import {
  eventMetadataFrom,
  NOTIFICATION_FREQUENCIES,
  NotFoundError,
  recordEvent,
  requireAuth,
  THEMES,
  validateRequest,
} from '@taskforge/common';
import { Router } from 'express';
import { body, checkExact } from 'express-validator';
import mongoose from 'mongoose';
import {
  findUserById,
  PROFILE_LIMITS,
  toUserResponse,
  userEventData,
  type Preferences,
  type UserDocument,
} from '../models/user';

/** Each failure means another request saved in between, so this many attempts cover that many racers. */
const MAX_SAVE_ATTEMPTS = 5;

interface ProfileChanges {
  firstName?: string | null;
  lastName?: string | null;
  bio?: string | null;
  avatarUrl?: string | null;
  preferences?: {
    theme?: Preferences['theme'];
    notifications?: Partial<Preferences['notifications']>;
  };
}

const text = (field: string, label: string, max: number) =>
  body(field)
    .optional({ values: 'null' })
    .isString()
    .withMessage(`${label} must be a string or null`)
    .bail()
    .trim()
    .isLength({ max })
    .withMessage(`${label} must be at most ${max} characters`);

const boolean = (field: string, label: string) =>
  body(field)
    .optional()
    .custom((value) => typeof value === 'boolean')
    .withMessage(`${label} must be true or false`);

const oneOf = (field: string, label: string, values: readonly string[]) =>
  body(field)
    .optional()
    .isString()
    .bail()
    .isIn([...values])
    .withMessage(`${label} must be one of ${values.join(', ')}`);

const profileValidation = checkExact(
  [
    text('firstName', 'First name', PROFILE_LIMITS.name),
    text('lastName', 'Last name', PROFILE_LIMITS.name),
    text('bio', 'Bio', PROFILE_LIMITS.bio),
    body('avatarUrl')
      .optional({ values: 'null' })
      .isString()
      .bail()
      .isLength({ max: PROFILE_LIMITS.avatarUrl })
      .bail()
      .isURL({ protocols: ['http', 'https'], require_protocol: true })
      .withMessage(`Avatar URL must be an http(s) URL of at most ${PROFILE_LIMITS.avatarUrl} characters, or null`),
    body('preferences').optional().isObject().withMessage('Preferences must be an object'),
    oneOf('preferences.theme', 'Theme', THEMES),
    body('preferences.notifications')
      .optional()
      .isObject()
      .withMessage('Notification preferences must be an object'),
    boolean('preferences.notifications.email', 'Email notifications'),
    boolean('preferences.notifications.push', 'Push notifications'),
    oneOf('preferences.notifications.frequency', 'Notification frequency', NOTIFICATION_FREQUENCIES),
  ],
  {
    locations: ['body'],
    message: (fields: { path: string }[]) =>
      `Unknown field(s): ${fields.map((field) => field.path).join(', ')}`,
  },
);

function applyChanges(user: UserDocument, changes: ProfileChanges): void {
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

  router.get('/api/users/me', requireAuth, async (req, res) => {
    const user = await loadSignedInUser(req.currentUser!.id);
    res.send(toUserResponse(user));
  });

  router.patch('/api/users/me', requireAuth, profileValidation, validateRequest, async (req, res) => {
    const changes = (req.body ?? {}) as ProfileChanges;
    for (let attempt = 1; ; attempt += 1) {
      const user = await loadSignedInUser(req.currentUser!.id);
      applyChanges(user, changes);
      if (!user.isModified()) {
        res.send(toUserResponse(user));
        return;
      }
      recordEvent(user, 'user.updated', userEventData(user, user.version + 1), eventMetadataFrom(req));
      try {
        await user.save();
      } catch (err) {
        // A concurrent save won: apply our changes again on top of it.
        if (err instanceof mongoose.Error.VersionError && attempt < MAX_SAVE_ATTEMPTS) continue;
        throw err;
      }
      deps.eventsRecorded();
      res.send(toUserResponse(user));
      return;
    }
  });

  return router;
}
