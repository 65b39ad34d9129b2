import { ConfigError } from '@taskforge/common';
import { generateJwtKeys } from '@taskforge/common/testing';
import { readConfig } from '../config';

const keys = generateJwtKeys();
const env = {
  NATS_URL: 'nats://127.0.0.1:4222',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MONGO_URL: 'mongodb://127.0.0.1:27017/auth',
  JWT_PUBLIC_KEY: keys.publicKey,
  JWT_PRIVATE_KEY: keys.privateKey,
};

function problemsOf(values: NodeJS.ProcessEnv): string[] {
  try {
    readConfig(values);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  it('applies the documented defaults', () => {
    expect(readConfig(env)).toMatchObject({
      JWT_TTL_SECONDS: 86_400,
      SIGNIN_MAX_FAILURES_PER_EMAIL: 5,
      SIGNIN_MAX_FAILURES_PER_IP: 30,
      SIGNIN_WINDOW_MS: 15 * 60_000,
    });
  });

  it('reads keys given on one line with escaped newlines', () => {
    const config = readConfig({
      ...env,
      JWT_PRIVATE_KEY: keys.privateKey.replace(/\n/g, '\\n'),
      JWT_PUBLIC_KEY: keys.publicKey.replace(/\n/g, '\\n'),
    });
    expect(config.JWT_PRIVATE_KEY).toBe(keys.privateKey.trim());
  });

  it('names every missing variable at once', () => {
    const { MONGO_URL: _mongo, JWT_PRIVATE_KEY: _key, ...rest } = env;
    expect(problemsOf(rest)).toEqual(
      expect.arrayContaining(['MONGO_URL is required', 'JWT_PRIVATE_KEY is required']),
    );
  });

  it('rejects a private key that does not match the public key', () => {
    expect(problemsOf({ ...env, JWT_PRIVATE_KEY: generateJwtKeys().privateKey })).toEqual([
      'JWT_PRIVATE_KEY does not match JWT_PUBLIC_KEY',
    ]);
  });

  it('rejects non-numeric limits', () => {
    expect(problemsOf({ ...env, SIGNIN_MAX_FAILURES_PER_EMAIL: 'lots' })[0]).toMatch(
      /^SIGNIN_MAX_FAILURES_PER_EMAIL /,
    );
  });
});
