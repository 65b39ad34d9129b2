import { setTimeout as sleep } from 'node:timers/promises';
import { apiGet, ensureOk, type ApiResponse } from './server-api';

/**
 * A tasks read for a team that teams has just shown us. tasks learns of new teams and members
 * from events, so for a moment after a team is created (or someone is added) it still answers
 * 404: the page waits for it here, on the server, rather than showing "not found".
 */
export async function loadWhenTasksKnowsTeam<T>(
  path: string,
  returnTo: string,
  timeoutMs = 8000,
): Promise<ApiResponse<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await apiGet<T>(path);
    if (res.status !== 404 || Date.now() > deadline) return ensureOk(res, returnTo);
    await sleep(200);
  }
}
