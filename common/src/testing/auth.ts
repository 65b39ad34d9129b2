import { generateKeyPairSync, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  JWT_ALGORITHM,
  SESSION_VERSION_CLAIM,
  type UserPayload,
} from '../middlewares/current-user';

export interface KeyPair {
  publicKey: string;
  privateKey: string;
}

/** A fresh ES256 key pair in PEM, as auth's Secret would hold. */
export function generateJwtKeys(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey, privateKey };
}

let processKeys: KeyPair | undefined;

/** One key pair per test process, also put in env so services' configs read it. */
export function testKeys(): KeyPair {
  if (!processKeys) {
    processKeys = generateJwtKeys();
    process.env.JWT_PUBLIC_KEY = processKeys.publicKey;
    process.env.JWT_PRIVATE_KEY = processKeys.privateKey;
  }
  return processKeys;
}

/** The cookie-session cookie a browser would hold for a token. */
export function sessionCookie(token: string): string {
  const session = Buffer.from(JSON.stringify({ jwt: token })).toString('base64');
  return `session=${session}`;
}

/** A signed-in cookie for the given (or a new random) user. */
export function signinCookie(
  user: Partial<UserPayload> = {},
  options: { privateKey?: string; expiresIn?: number; sessionVersion?: number } = {},
): { cookie: string; user: UserPayload } {
  const payload: UserPayload = {
    id: user.id ?? randomBytes(12).toString('hex'),
    email: user.email ?? `user-${randomBytes(4).toString('hex')}@example.test`,
  };
  const claims =
    options.sessionVersion === undefined
      ? payload
      : { ...payload, [SESSION_VERSION_CLAIM]: options.sessionVersion };
  const token = jwt.sign(claims, options.privateKey ?? testKeys().privateKey, {
    algorithm: JWT_ALGORITHM,
    expiresIn: options.expiresIn ?? 3600,
  });
  return { cookie: sessionCookie(token), user: payload };
}
