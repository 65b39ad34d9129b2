import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { schemaProblems } from '../checks';
import { CREATE_SECRETS } from '../repo';
import { printedSecrets, runCreateSecrets } from '../secrets';

function decoded(secrets: ISecret[], name: string, key: string): string {
  const value = secrets.find((s) => s.metadata?.name === name)?.data?.[key];
  if (value === undefined) throw new Error(`no ${name}/${key}`);
  return Buffer.from(value, 'base64').toString('utf8');
}

describe('create-secrets.sh', () => {
  it('is executable', () => {
    expect(() => accessSync(CREATE_SECRETS, constants.X_OK)).not.toThrow();
  });

  it('--print prints the two Secrets, valid against the schema', () => {
    const secrets = printedSecrets();
    expect(secrets.map((s) => [s.kind, s.metadata?.name, Object.keys(s.data ?? {})])).toEqual([
      ['Secret', 'jwt-private-key', ['JWT_PRIVATE_KEY']],
      ['Secret', 'jwt-public-key', ['JWT_PUBLIC_KEY']],
    ]);
    expect(schemaProblems(secrets)).toEqual([]);
  });

  it('makes a matching ES256 (P-256) key pair in PEM', () => {
    const secrets = printedSecrets() as unknown as ISecret[];
    const privatePem = decoded(secrets, 'jwt-private-key', 'JWT_PRIVATE_KEY');
    const publicPem = decoded(secrets, 'jwt-public-key', 'JWT_PUBLIC_KEY');
    expect(privatePem).toMatch(
      /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/,
    );
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/);

    const privateKey = createPrivateKey(privatePem);
    expect(privateKey.asymmetricKeyType).toBe('ec');
    expect(privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const signature = sign('sha256', Buffer.from('token'), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    const publicKey = createPublicKey(publicPem);
    expect(
      verify(
        'sha256',
        Buffer.from('token'),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        signature,
      ),
    ).toBe(true);
  });

  it('makes a new pair each time it prints', () => {
    const first = decoded(
      printedSecrets() as unknown as ISecret[],
      'jwt-public-key',
      'JWT_PUBLIC_KEY',
    );
    const second = decoded(
      printedSecrets() as unknown as ISecret[],
      'jwt-public-key',
      'JWT_PUBLIC_KEY',
    );
    expect(first).not.toBe(second);
  });

  it('puts the Secrets in the namespace it is given', () => {
    const secrets = printedSecrets(['--namespace', 'taskforge-dev']);
    expect(secrets.map((s) => s.metadata?.namespace)).toEqual(['taskforge-dev', 'taskforge-dev']);
  });

  it('refuses an unknown option', () => {
    const run = runCreateSecrets(['--prnit']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--print');
  });
});
