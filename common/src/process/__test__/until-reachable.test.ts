import { isUnreachable, untilReachable } from '../until-reachable';

const unreachable = () =>
  Object.assign(new Error('getaddrinfo EAI_AGAIN teams-postgres'), { code: 'EAI_AGAIN' });

describe('untilReachable', () => {
  const logger = { warn: jest.fn() };
  beforeEach(() => logger.warn.mockReset());

  it('waits while the server cannot be reached, then returns what the attempt gives', async () => {
    let calls = 0;
    const value = await untilReachable(
      'the store',
      async () => {
        calls += 1;
        if (calls < 3) throw unreachable();
        return 'open';
      },
      logger,
      10_000,
    );
    expect(value).toBe('open');
    expect(calls).toBe(3);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[0]).toEqual([
      { reason: 'getaddrinfo EAI_AGAIN teams-postgres', retryInMs: 500 },
      'the store cannot be reached yet; waiting',
    ]);
    expect(logger.warn.mock.calls[1]?.[0]).toMatchObject({ retryInMs: 1000 });
  });

  it('throws any other error at once', async () => {
    let calls = 0;
    const broken = new Error('relation "teams" already exists');
    await expect(
      untilReachable(
        'the store',
        async () => {
          calls += 1;
          throw broken;
        },
        logger,
        10_000,
      ),
    ).rejects.toBe(broken);
    expect(calls).toBe(1);
  });

  it('gives up with the last error once the wait is over', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      untilReachable(
        'the store',
        async () => {
          calls += 1;
          throw unreachable();
        },
        logger,
        1_200,
      ),
    ).rejects.toMatchObject({ code: 'EAI_AGAIN' });
    // 0.5 s, then 1 s would pass the deadline: two attempts, well within the wait.
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_200);
  });

  it('tells a server that is not there yet from a broken request', () => {
    expect(
      isUnreachable(Object.assign(new Error('x'), { name: 'MongooseServerSelectionError' })),
    ).toBe(true);
    expect(isUnreachable(Object.assign(new Error('starting up'), { code: '57P03' }))).toBe(true);
    expect(isUnreachable(new Error('connect ECONNREFUSED 10.88.1.4:5432'))).toBe(false);
    expect(
      isUnreachable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(
      isUnreachable(new Error('Connection refused\n\tIs the server running on that host')),
    ).toBe(true);
    expect(isUnreachable(Object.assign(new Error('duplicate key'), { code: 11000 }))).toBe(false);
    expect(isUnreachable(null)).toBe(false);
  });
});
