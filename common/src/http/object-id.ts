/*
 * A MongoDB document id as it travels in paths, queries and answers: 24 hex digits. Either case
 * is accepted (an id typed or copied by hand may come upper-case); the stores write lower-case.
 */

/** The rule as a pattern string, for OpenAPI documents and route contracts' path parameters. */
export const OBJECT_ID_PATTERN = '^[0-9a-fA-F]{24}$';

export const OBJECT_ID = new RegExp(OBJECT_ID_PATTERN);

/** Whether `value` is an id a document could have, so a lookup never fails on the cast. */
export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID.test(value);
}
