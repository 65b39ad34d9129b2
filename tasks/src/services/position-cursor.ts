/** A cursor over a (timestamp, _id) order, for comments and activity. */
export interface TimeCursor {
  at: Date;
  id: string;
}

const ID = /^[0-9a-zA-Z_-]{1,64}$/;

export function encodePosition(cursor: TimeCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.getTime(), cursor.id])).toString('base64url');
}

export function decodePosition(raw: string): TimeCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [time, id] = parsed as unknown[];
    if (!Number.isSafeInteger(time) || typeof id !== 'string' || !ID.test(id)) return undefined;
    return { at: new Date(time as number), id };
  } catch {
    return undefined;
  }
}
