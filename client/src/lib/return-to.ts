/** Where to go after signing in: a path inside the app only, never another site. */
export function safeReturnPath(value: string | string[] | undefined, fallback = '/teams'): string {
  const path = Array.isArray(value) ? value[0] : value;
  return path && /^\/(?![/\\])/.test(path) ? path : fallback;
}
