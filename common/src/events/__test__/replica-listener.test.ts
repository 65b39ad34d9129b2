import mongoose, { Schema } from 'mongoose';
import pino from 'pino';
import { startMongo, type TestMongo } from '../../testing';
import type { ListenerContext } from '../listener';
import { replicaListener } from '../replica';

interface RoleReplica {
  _id: string;
  role: string;
  version: number;
}

const Role = mongoose.model<RoleReplica>(
  'ReplicaListenerRole',
  new Schema<RoleReplica>({ _id: String, role: String, version: Number }, { versionKey: false }),
);

let mongo: TestMongo;
beforeAll(async () => {
  mongo = await startMongo();
});
afterAll(() => mongo.stop());

describe('replicaListener', () => {
  it('writes each event by the version rule, to the document its id names', async () => {
    const listener = replicaListener('member.updated', Role, (data) => ({ role: data.role }), {
      id: (data) => `${data.teamId}:${data.userId}`,
    });
    const context = {
      logger: pino({ level: 'silent' }),
    } as unknown as ListenerContext<'member.updated'>;
    const event = (version: number, role: 'admin' | 'member' | 'guest') => ({
      teamId: 't1',
      userId: 'u1',
      role,
      version,
    });

    expect(listener.subject).toBe('member.updated');
    expect(await listener.onMessage(event(0, 'guest'), context)).toBe('ack');
    // Early: left for redelivery, nothing written.
    expect(await listener.onMessage(event(2, 'admin'), context)).toBe('retry');
    expect(await Role.findById('t1:u1').lean()).toMatchObject({ role: 'guest', version: 0 });
    expect(await listener.onMessage(event(1, 'member'), context)).toBe('ack');
    expect(await listener.onMessage(event(2, 'admin'), context)).toBe('ack');
    // A duplicate is acked as stale and changes nothing.
    expect(await listener.onMessage(event(1, 'member'), context)).toBe('stale');
    expect(await Role.findById('t1:u1').lean()).toMatchObject({ role: 'admin', version: 2 });
  });
});
