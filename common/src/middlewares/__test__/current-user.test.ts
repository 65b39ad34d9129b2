import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../http/create-app';
import { signinCookie, testKeys } from '../../testing';
import { ACCOUNT_DELETED, cachedSessionVersions, type SessionVersionLookup } from '../current-user';
import { requireAuth } from '../require-auth';

const keys = testKeys();

/** The suite's pipeline with one signed-in route, and a stand-in for the user replica. */
function appWith(sessionVersions?: SessionVersionLookup) {
  const router = Router();
  router.get('/api/me', requireAuth, (req, res) => {
    res.send({ id: req.currentUser!.id });
  });
  return createApp({
    service: 'test',
    logger: pino({ level: 'silent' }),
    jwtPublicKey: keys.publicKey,
    cookieSecure: false,
    routers: [router],
    ...(sessionVersions ? { sessionVersions: cachedSessionVersions(sessionVersions) } : {}),
  });
}

describe('currentUser with session versions', () => {
  it('accepts a token as new as the user’s session version, and refuses an older one', async () => {
    const ada = signinCookie({}, { sessionVersion: 2 });
    const older = signinCookie(ada.user, { sessionVersion: 1 });
    const unversioned = signinCookie(ada.user);
    const app = appWith((id) => Promise.resolve(id === ada.user.id ? 2 : undefined));

    const current = await request(app).get('/api/me').set('Cookie', ada.cookie);
    expect(current.status).toBe(200);
    expect(current.body).toEqual({ id: ada.user.id });
    for (const cookie of [older.cookie, unversioned.cookie]) {
      const refused = await request(app).get('/api/me').set('Cookie', cookie);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ errors: [{ message: 'Not authorized' }] });
      // The browser is told to drop the ended session.
      expect(String(refused.headers['set-cookie'])).toMatch(/session=;.*expires=Thu, 01 Jan 1970/);
    }
    // A user the service does not know yet (its replica has not seen them): the token decides.
    const newcomer = signinCookie({}, { sessionVersion: 0 });
    expect((await request(app).get('/api/me').set('Cookie', newcomer.cookie)).status).toBe(200);
  });

  it('refuses every token of a deleted account, however new', async () => {
    const gone = signinCookie({}, { sessionVersion: Number.MAX_SAFE_INTEGER });
    const app = appWith(() => Promise.resolve(ACCOUNT_DELETED));
    const refused = await request(app).get('/api/me').set('Cookie', gone.cookie);
    expect(refused.status).toBe(401);
    expect(String(refused.headers['set-cookie'])).toMatch(/session=;.*expires=Thu, 01 Jan 1970/);
  });

  it('answers a failing lookup with an error in the common shape, never as a signed-in user', async () => {
    const app = appWith(() => Promise.reject(new Error('replica store down at /srv/secret')));
    const res = await request(app).get('/api/me').set('Cookie', signinCookie().cookie);
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('/srv/secret');
    expect(res.body.errors[0].message).toEqual(expect.any(String));
  });
});

describe('cachedSessionVersions', () => {
  it('reads each user once per time-to-live, sharing one lookup between requests meanwhile', async () => {
    const reads: string[] = [];
    let version = 0;
    const lookup = cachedSessionVersions(
      async (id) => {
        reads.push(id);
        await sleep(20);
        return version;
      },
      { ttlMs: 150 },
    );
    const first = await Promise.all([lookup('a'), lookup('a'), lookup('b')]);
    expect(first).toEqual([0, 0, 0]);
    expect(reads).toEqual(['a', 'b']);
    version = 3;
    expect(await lookup('a')).toBe(0);
    await sleep(200);
    expect(await lookup('a')).toBe(3);
    expect(reads).toEqual(['a', 'b', 'a']);
  });

  it('reads a user again at once once told to forget them', async () => {
    let version = 0;
    const lookup = cachedSessionVersions(() => Promise.resolve(version));
    expect(await lookup('a')).toBe(0);
    version = 1;
    expect(await lookup('a')).toBe(0);
    lookup.forget('a');
    expect(await lookup('a')).toBe(1);
  });

  it('forgets a failed lookup, so the next request asks again', async () => {
    let fail = true;
    const lookup = cachedSessionVersions(() =>
      fail ? Promise.reject(new Error('down')) : Promise.resolve(1),
    );
    await expect(lookup('a')).rejects.toThrow('down');
    fail = false;
    expect(await lookup('a')).toBe(1);
  });

  it('keeps at most `max` users, the oldest going first', async () => {
    const reads: string[] = [];
    const lookup = cachedSessionVersions(
      (id) => {
        reads.push(id);
        return Promise.resolve(0);
      },
      { max: 2 },
    );
    for (const id of ['a', 'b', 'c', 'b', 'a']) await lookup(id);
    expect(reads).toEqual(['a', 'b', 'c', 'a']);
  });
});
