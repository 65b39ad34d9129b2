import {
  eventMetadataFrom,
  NOTIFICATION_FREQUENCIES,
  NotFoundError,
  recordEvent,
  RequestValidationError,
  requireAuth,
  retryOnConflict,
  THEMES,
  validateRequest,
} from '@taskforge/common';
import { Router, type RequestHandler } from 'express';
import { body } from 'express-validator';
import {
  findUserById,
  PROFILE_LIMITS,
  toUserResponse,
  userEventData,
  type Preferences,
  type UserDocument,
} from '../models/user';

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

const AVATAR_URL_MESSAGE = `Avatar URL must be an http(s) URL of at most ${PROFILE_LIMITS.avatarUrl} characters, or null`;

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

const oneOf = (field: string, label: string, values: readonly string[]) => {
  const message = `${label} must be one of ${values.join(', ')}`;
  return body(field)
    .optional()
    .isString()
    .withMessage(message)
    .bail()
    .isIn([...values])
    .withMessage(message);
};

/** The fields a client may send; anything else is answered 400 before it reaches a query. */
type Shape = { readonly [field: string]: true | Shape };
const PROFILE_SHAPE: Shape = {
  firstName: true,
  lastName: true,
  bio: true,
  avatarUrl: true,
  preferences: { theme: true, notifications: { email: true, push: true, frequency: true } },
};

function unknownFields(value: unknown, shape: Shape, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, nested]) => {
    const rule = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (rule === undefined) return [`${prefix}${key}`];
    return rule === true ? [] : unknownFields(nested, rule, `${prefix}${key}.`);
  });
}

const rejectUnknownFields: RequestHandler = (req, _res, next) => {
  if (Array.isArray(req.body)) {
    throw new RequestValidationError([{ message: 'The body must be a JSON object' }]);
  }
  const unknown = unknownFields(req.body, PROFILE_SHAPE);
  if (unknown.length > 0) {
    throw new RequestValidationError(unknown.map((field) => ({ message: 'Unknown field', field })));
  }
  next();
};

const profileValidation = [
  rejectUnknownFields,
  text('firstName', 'First name', PROFILE_LIMITS.name),
  text('lastName', 'Last name', PROFILE_LIMITS.name),
  text('bio', 'Bio', PROFILE_LIMITS.bio),
  body('avatarUrl', AVATAR_URL_MESSAGE)
    .optional({ values: 'null' })
    .isString()
    .bail()
    .isLength({ max: PROFILE_LIMITS.avatarUrl })
    .bail()
    .isURL({ protocols: ['http', 'https'], require_protocol: true }),
  body('preferences').optional().isObject().withMessage('Preferences must be an object'),
  oneOf('preferences.theme', 'Theme', THEMES),
  body('preferences.notifications')
    .optional()
    .isObject()
    .withMessage('Notification preferences must be an object'),
  boolean('preferences.notifications.email', 'Email notifications'),
  boolean('preferences.notifications.push', 'Push notifications'),
  oneOf('preferences.notifications.frequency', 'Notification frequency', NOTIFICATION_FREQUENCIES),
  validateRequest,
];

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

  router.patch('/api/users/me', requireAuth, ...profileValidation, async (req, res) => {
    const changes = (req.body ?? {}) as ProfileChanges;
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
  });

  return router;
}
