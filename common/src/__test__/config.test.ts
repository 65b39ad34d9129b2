import { z } from 'zod';
import { baseConfigSchema, ConfigError, loadConfig } from '../config';
import { generateJwtKeys } from '../testing';

const schema = baseConfigSchema.extend({ MONGO_URL: z.string().min(1) });

describe('loadConfig', () => {
  const { publicKey } = generateJwtKeys();

  it('parses and defaults a valid environment, accepting one-line PEM keys', () => {
    const config = loadConfig(schema, {
      NATS_URL: 'nats://n:4222',
      REDIS_URL: 'redis://r:6379',
      MONGO_URL: 'mongodb://m/db',
      JWT_PUBLIC_KEY: publicKey.replace(/\n/g, '\\n'),
      CORS_ORIGINS: 'http://a.test, http://b.test',
      COOKIE_SECURE: 'false',
    });
    expect(config.PORT).toBe(3000);
    expect(config.JWT_PUBLIC_KEY).toBe(publicKey.trim());
    expect(config.CORS_ORIGINS).toEqual(['http://a.test', 'http://b.test']);
    expect(config.COOKIE_SECURE).toBe(false);
  });

  it('names every missing or invalid variable in one error', () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', JWT_PUBLIC_KEY: 'not a key', REDIS_URL: 'redis://r' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toEqual(
      expect.arrayContaining([
        'NATS_URL is required',
        'MONGO_URL is required',
        expect.stringMatching(/^PORT /),
        expect.stringMatching(/^JWT_PUBLIC_KEY must be a PEM key/),
      ]),
    );
    expect(problems).toHaveLength(4);
    expect(message).toContain('NATS_URL is required');
  });
});
