import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { K8S_PROD } from '../repo';

// The Job's script runs in mongosh, which is not here: run it against a fake of the mongosh
// globals it uses (connect, sleep, print, process.env) and of the servers behind them.

const script = readFileSync(join(K8S_PROD, 'mongo-init-replica-sets.js'), 'utf8');

class ServerError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

interface Member {
  /** Attempts to reach it that fail before it answers. */
  downFor: number;
  initiated: boolean;
}

interface Run {
  initiated: Array<{ host: string; config: unknown }>;
  printed: string[];
  sleeps: number;
  error: Error | undefined;
}

function run(members: Record<string, Member>, sets: string, onStatus?: () => never): Run {
  const result: Run = { initiated: [], printed: [], sleeps: 0, error: undefined };
  const connect = (uri: string) => {
    const host = /^mongodb:\/\/([^/]+)\//.exec(uri)?.[1] ?? '';
    return {
      runCommand(command: Record<string, unknown>) {
        const member = members[host];
        if (!member || member.downFor > 0) {
          if (member) member.downFor -= 1;
          throw new Error(`getaddrinfo ENOTFOUND ${host}`);
        }
        if ('ping' in command) return { ok: 1 };
        if ('replSetGetStatus' in command) {
          onStatus?.();
          if (!member.initiated) throw new ServerError('no replset config', 94);
          return { ok: 1 };
        }
        if ('replSetInitiate' in command) {
          if (member.initiated) throw new ServerError('already initialized', 23);
          member.initiated = true;
          result.initiated.push({ host, config: command.replSetInitiate });
          return { ok: 1 };
        }
        throw new Error(`unexpected command ${JSON.stringify(command)}`);
      },
    };
  };
  const context = {
    connect,
    sleep: () => (result.sleeps += 1),
    print: (line: string) => result.printed.push(line),
    process: { env: { MONGO_SETS: sets, REPLICA_SET: 'rs0' } },
  };
  try {
    runInNewContext(script, context);
  } catch (err) {
    result.error = err as Error;
  }
  return result;
}

function membersOf(set: string, member: Partial<Member> = {}): Record<string, Member> {
  return Object.fromEntries(
    [0, 1, 2].map((i) => [`${set}-${i}.${set}:27017`, { downFor: 0, initiated: false, ...member }]),
  );
}

describe('mongo-init-replica-sets.js', () => {
  it('initiates each set on its first member, with its three members', () => {
    const result = run({ ...membersOf('a-mongo'), ...membersOf('b-mongo') }, 'a-mongo b-mongo');
    expect(result.error).toBeUndefined();
    expect(result.initiated).toEqual(
      ['a-mongo', 'b-mongo'].map((set) => ({
        host: `${set}-0.${set}:27017`,
        config: {
          _id: 'rs0',
          members: [0, 1, 2].map((i) => ({ _id: i, host: `${set}-${i}.${set}:27017` })),
        },
      })),
    );
  });

  it('leaves a set that is already initiated alone', () => {
    const result = run(membersOf('a-mongo', { initiated: true }), 'a-mongo');
    expect(result.error).toBeUndefined();
    expect(result.initiated).toEqual([]);
    expect(result.printed).toEqual(['a-mongo: already a replica set']);
  });

  it('waits until every member answers', () => {
    const members = membersOf('a-mongo');
    const last = members['a-mongo-2.a-mongo:27017'];
    if (last) last.downFor = 3;
    const result = run(members, 'a-mongo');
    expect(result.sleeps).toBe(3);
    expect(result.initiated).toHaveLength(1);
  });

  it('gives up, naming the member, when one never answers', () => {
    const members = membersOf('a-mongo');
    delete members['a-mongo-1.a-mongo:27017'];
    const result = run(members, 'a-mongo');
    expect(result.error?.message).toContain('a-mongo-1.a-mongo:27017 does not answer');
    expect(result.initiated).toEqual([]);
  });

  it('accepts a set another run initiated in the meantime', () => {
    const members = membersOf('a-mongo');
    const result = run(members, 'a-mongo', () => {
      Object.values(members).forEach((member) => (member.initiated = true));
      throw new ServerError('no replset config', 94);
    });
    expect(result.error).toBeUndefined();
    expect(result.printed).toEqual(['a-mongo: already a replica set']);
  });

  it('stops on an error other than "not yet initialized"', () => {
    const result = run(membersOf('a-mongo'), 'a-mongo', () => {
      throw new ServerError('not authorized', 13);
    });
    expect(result.error?.message).toBe('not authorized');
    expect(result.initiated).toEqual([]);
  });
});
