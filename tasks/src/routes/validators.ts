import { TASK_PRIORITIES, TASK_STATUSES } from '@taskforge/common';
import { body, type ValidationChain } from 'express-validator';
import { parseIsoDate } from '../services/dates';
import {
  CUSTOM_FIELD_KEY,
  CUSTOM_FIELD_STRING_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  MAX_CUSTOM_FIELDS,
  MAX_TAGS,
  TAG_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  type CustomFieldValue,
  type TaskPriority,
  type TaskStatus,
} from '../models/task';

/** Ids other services issue (ObjectIds, UUIDs): what the event catalogue accepts. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface TaskInput {
  title?: string;
  description?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  assigneeId?: string | null;
  dueDate?: string | null;
  tags?: string[];
  customFields?: Record<string, CustomFieldValue | null>;
  ticketId?: string | null;
  position?: number;
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * The shared rules for a task's fields. `optional` for PATCH, where only what is sent changes;
 * null clears the fields that may be empty.
 */
export function taskFields({ creating }: { creating: boolean }): ValidationChain[] {
  const optional = (chain: ValidationChain) => (creating ? chain : chain.optional());
  const nullable = (chain: ValidationChain) =>
    chain.optional({ values: creating ? 'null' : 'undefined' });
  return [
    optional(
      body('title')
        .exists({ values: 'null' })
        .withMessage('Title is required')
        .bail()
        .isString()
        .withMessage('Title must be a string')
        .bail()
        .trim()
        .notEmpty()
        .withMessage('Title is required')
        .bail()
        .isLength({ max: TITLE_MAX_LENGTH })
        .withMessage(`Title must be at most ${TITLE_MAX_LENGTH} characters`),
    ),
    body('description')
      .optional()
      .isString()
      .withMessage('Description must be a string')
      .bail()
      .isLength({ max: DESCRIPTION_MAX_LENGTH })
      .withMessage(`Description must be at most ${DESCRIPTION_MAX_LENGTH} characters`),
    // isIn alone passes an array (it checks each item, so [] and ['todo'] went through).
    body('status')
      .optional()
      .isString()
      .withMessage(`Status must be one of ${TASK_STATUSES.join(', ')}`)
      .bail()
      .isIn(TASK_STATUSES)
      .withMessage(`Status must be one of ${TASK_STATUSES.join(', ')}`),
    body('priority')
      .optional()
      .isString()
      .withMessage(`Priority must be one of ${TASK_PRIORITIES.join(', ')}`)
      .bail()
      .isIn(TASK_PRIORITIES)
      .withMessage(`Priority must be one of ${TASK_PRIORITIES.join(', ')}`),
    nullable(body('assigneeId'))
      .custom((value) => value === null || (typeof value === 'string' && ID_PATTERN.test(value)))
      .withMessage('assigneeId must be a user id or null'),
    nullable(body('dueDate'))
      .custom((value) => value === null || parseIsoDate(value) !== undefined)
      .withMessage('dueDate must be an ISO 8601 date or null'),
    nullable(body('ticketId'))
      .custom((value) => value === null || (typeof value === 'string' && ID_PATTERN.test(value)))
      .withMessage('ticketId must be a ticket id or null'),
    body('tags')
      .optional()
      .custom((value) => isStringArray(value))
      .withMessage('Tags must be an array of strings')
      .bail()
      .custom((value: string[]) => value.length <= MAX_TAGS)
      .withMessage(`At most ${MAX_TAGS} tags`)
      .bail()
      .custom((value: string[]) =>
        value.every((tag) => tag.trim() !== '' && tag.trim().length <= TAG_MAX_LENGTH),
      )
      .withMessage(`Each tag must have 1 to ${TAG_MAX_LENGTH} characters`)
      .customSanitizer((value: string[]) => [...new Set(value.map((tag) => tag.trim()))]),
    body('customFields')
      .optional()
      .custom((value) => checkCustomFields(value, { allowNull: !creating }))
      .customSanitizer(sanitizeCustomFields),
    body('position')
      .optional()
      .custom((value) => typeof value === 'number' && Number.isFinite(value))
      .withMessage('Position must be a number'),
  ];
}

function checkCustomFields(value: unknown, { allowNull }: { allowNull: boolean }): true {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('customFields must be an object');
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_CUSTOM_FIELDS) {
    throw new Error(`At most ${MAX_CUSTOM_FIELDS} custom fields`);
  }
  for (const [key, field] of entries) {
    if (!CUSTOM_FIELD_KEY.test(key)) {
      throw new Error(`Custom field name "${key.slice(0, 40)}" must be 1-40 of A-Z a-z 0-9 _ -`);
    }
    const ok =
      (field === null && allowNull) ||
      typeof field === 'boolean' ||
      (typeof field === 'number' && Number.isFinite(field)) ||
      (typeof field === 'string' && field.length <= CUSTOM_FIELD_STRING_MAX_LENGTH);
    if (!ok) {
      throw new Error(
        `Custom field "${key}" must be a string (at most ${CUSTOM_FIELD_STRING_MAX_LENGTH} characters), number, boolean${allowNull ? ' or null (to remove it)' : ''}`,
      );
    }
  }
  return true;
}

/** Strings in ISO 8601 date form are stored as dates, so they compare and filter as dates. */
function sanitizeCustomFields(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, parseIsoDate(field) ?? field]),
  );
}

export const versionField = () =>
  body('version')
    .optional()
    .custom((value) => Number.isInteger(value) && value >= 0)
    .withMessage('Version must be a non-negative integer');
