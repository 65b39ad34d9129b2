import request from 'supertest';
import { findTask, Task, toTaskResponse } from '../../models/task';
import { createTask } from '../../test/factories';
import { teamPerTest } from '../../test/team-fixture';

const given = teamPerTest({ relay: false });

const show = (id: string) =>
  request(given.app).get(`/api/tasks/${id}`).set('Cookie', given.team.member.cookie);
const patch = (id: string, body: object) =>
  request(given.app).patch(`/api/tasks/${id}`).set('Cookie', given.team.member.cookie).send(body);

describe('task details cache', () => {
  it('serves reads from Redis with a TTL once a task was read', async () => {
    const task = await createTask(given.app, given.team, { title: 'Cached' });
    await given.ctx.redis.del(given.ctx.cache.key(task.id));
    await show(task.id).expect(200);

    const ttl = await given.ctx.redis.ttl(given.ctx.cache.key(task.id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(given.ctx.config.TASK_CACHE_TTL_SECONDS);
    // Proof the read comes from the cache: a change behind the API's back is not seen.
    await Task.collection.updateOne(
      { _id: (await findTask(task.id))!._id },
      { $set: { title: 'Behind' } },
    );
    expect((await show(task.id)).body.title).toBe('Cached');
  });

  it('shows a write in the very next read: read, write, read', async () => {
    const task = await createTask(given.app, given.team, { title: 'Before' });
    expect((await show(task.id)).body.title).toBe('Before');
    await patch(task.id, { title: 'After' }).expect(200);
    const res = await show(task.id);
    expect(res.body).toMatchObject({ title: 'After', version: 1 });
  });

  it('never lets a reader that loaded an older version overwrite the newer entry', async () => {
    const task = await createTask(given.app, given.team, { title: 'v0' });
    await given.ctx.redis.del(given.ctx.cache.key(task.id));

    // Reader: cache miss, loads version 0 from the database…
    expect((await given.ctx.cache.get(task.id)).state).toBe('miss');
    const loadedByReader = toTaskResponse((await findTask(task.id))!);
    // …meanwhile a writer saves version 1 and answers…
    await patch(task.id, { title: 'v1' }).expect(200);
    // …then the reader tries to populate the cache with what it loaded.
    expect(await given.ctx.cache.store(loadedByReader)).toBe(false);

    expect((await show(task.id)).body).toMatchObject({ title: 'v1', version: 1 });
  });

  it('keeps a deleted task deleted: a late reader cannot bring its old copy back', async () => {
    const task = await createTask(given.app, given.team);
    const loadedByReader = toTaskResponse((await findTask(task.id))!);
    await request(given.app)
      .delete(`/api/tasks/${task.id}`)
      .set('Cookie', given.team.member.cookie)
      .expect(204);
    expect(await given.ctx.cache.store(loadedByReader)).toBe(false);
    expect((await given.ctx.cache.get(task.id)).state).toBe('deleted');
    await show(task.id).expect(404);
  });

  it('stores an entry only when it is newer than the one held', async () => {
    const task = await createTask(given.app, given.team);
    const v0 = toTaskResponse((await findTask(task.id))!);
    await given.ctx.redis.del(given.ctx.cache.key(task.id));
    expect(await given.ctx.cache.store(v0)).toBe(true);
    expect(await given.ctx.cache.store(v0)).toBe(false);
    expect(await given.ctx.cache.store({ ...v0, title: 'newer', version: 1 })).toBe(true);
    expect(await given.ctx.cache.get(task.id)).toEqual({
      state: 'hit',
      task: { ...v0, title: 'newer', version: 1 },
    });
  });

  it('reads from the database when Redis refuses, and still answers', async () => {
    const task = await createTask(given.app, given.team, { title: 'Fallback' });
    const broken = given.ctx.buildApp({ env: { TASK_CACHE_TTL_SECONDS: '60' } });
    const get = jest.spyOn(given.ctx.redis, 'get').mockRejectedValueOnce(new Error('redis down'));
    try {
      const res = await request(broken)
        .get(`/api/tasks/${task.id}`)
        .set('Cookie', given.team.member.cookie);
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('Fallback');
    } finally {
      get.mockRestore();
    }
  });

  it('drops the entry when the write-through fails, so the next read goes to the database', async () => {
    const task = await createTask(given.app, given.team, { title: 'Old' });
    await show(task.id).expect(200);
    const redis = given.ctx.redis as unknown as {
      storeTaskIfNewer: (...args: unknown[]) => Promise<number>;
    };
    const store = jest
      .spyOn(redis, 'storeTaskIfNewer')
      .mockRejectedValueOnce(new Error('redis busy'));
    try {
      await patch(task.id, { title: 'New' }).expect(200);
    } finally {
      store.mockRestore();
    }
    expect((await given.ctx.cache.get(task.id)).state).toBe('miss');
    expect((await show(task.id)).body.title).toBe('New');
  });
});
