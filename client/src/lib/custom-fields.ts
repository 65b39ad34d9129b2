import type { CustomFieldValue } from './types';

/** One row of the custom fields editor: a name and the value as typed. */
export interface CustomFieldRow {
  name: string;
  value: string;
}

export function toRows(fields: Record<string, CustomFieldValue>): CustomFieldRow[] {
  return Object.entries(fields).map(([name, value]) => ({ name, value: String(value) }));
}

/** What was typed, as tasks stores it: numbers and true/false keep their type, the rest is text. */
export function parseValue(text: string): CustomFieldValue {
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed !== '' && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return text;
}

/**
 * The PATCH for custom fields: tasks merges what it is sent, so a removed field is sent as null
 * and unchanged ones are left out. Rows without a name are ignored. Empty when nothing changed.
 */
export function customFieldsPatch(
  before: Record<string, CustomFieldValue>,
  rows: CustomFieldRow[],
): Record<string, CustomFieldValue | null> {
  const after = new Map<string, CustomFieldValue>();
  for (const row of rows) {
    const name = row.name.trim();
    if (name) after.set(name, parseValue(row.value));
  }
  const patch: Record<string, CustomFieldValue | null> = {};
  for (const name of Object.keys(before)) if (!after.has(name)) patch[name] = null;
  for (const [name, value] of after) if (before[name] !== value) patch[name] = value;
  return patch;
}
