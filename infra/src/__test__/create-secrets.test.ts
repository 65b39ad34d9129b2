import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { schemaProblems } from '../checks';
import { CREATE_SECRETS } from '../repo';
import { printedSecrets, runCreateSecrets } from '../secrets';
import { parseYamlDocuments } from '../yaml-docs';

function decoded(secrets: ISecret[], name: string, key: string): string {
  const value = secrets.find((s) => s.metadata?.name === name)?.data?.[key];
  if (value === undefined) throw new Error(`no ${name}/${key}`);
  return Buffer.from(value, 'base64').toString('utf8');
}

describe('create-secrets.sh', () => {
  it('is executable', () => {
    expect(() => accessSync(CREATE_SECRETS, constants.X_OK)).not.toThrow();
  });

  it('--print prints the Secrets, valid against the schema', () => {
    const secrets = printedSecrets();
    expect(secrets.map((s) => [s.kind, s.metadata?.name, Object.keys(s.data ?? {})])).toEqual([
      ['Secret', 'jwt-private-key', ['JWT_PRIVATE_KEY']],
      ['Secret', 'jwt-public-key', ['JWT_PUBLIC_KEY']],
      ['Secret', 'teams-postgres', ['POSTGRES_PASSWORD', 'DATABASE_URL']],
      ['Secret', 's3-credentials', ['S3_ACCESS_KEY', 'S3_SECRET_KEY']],
    ]);
    expect(schemaProblems(secrets)).toEqual([]);
  });

  it("makes a random PostgreSQL password and teams' DATABASE_URL with it", () => {
    const secrets = printedSecrets() as unknown as ISecret[];
    const password = decoded(secrets, 'teams-postgres', 'POSTGRES_PASSWORD');
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(decoded(secrets, 'teams-postgres', 'DATABASE_URL')).toBe(
      `postgres://teams:${password}@teams-postgres:5432/teams`,
    );
  });

  it('makes S3 root credentials (an access key of 20 hex digits, a secret of 48)', () => {
    const secrets = printedSecrets() as unknown as ISecret[];
    expect(decoded(secrets, 's3-credentials', 'S3_ACCESS_KEY')).toMatch(/^[0-9a-f]{20}$/);
    expect(decoded(secrets, 's3-credentials', 'S3_SECRET_KEY')).toMatch(/^[0-9a-f]{48}$/);
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

  it('makes new values each time it prints', () => {
    const [first, second] = [printedSecrets(), printedSecrets()] as unknown as ISecret[][];
    for (const [name, key] of [
      ['jwt-public-key', 'JWT_PUBLIC_KEY'],
      ['teams-postgres', 'POSTGRES_PASSWORD'],
      ['s3-credentials', 'S3_SECRET_KEY'],
    ] as const) {
      expect(decoded(first ?? [], name, key)).not.toBe(decoded(second ?? [], name, key));
    }
  });

  it('puts the Secrets in the namespace it is given', () => {
    const secrets = printedSecrets(['--namespace', 'taskforge-dev']);
    expect(secrets.map((s) => s.metadata?.namespace)).toEqual(Array(4).fill('taskforge-dev'));
  });

  it('refuses an unknown option', () => {
    const run = runCreateSecrets(['--prnit']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--print');
  });
});

// kubectl is the stand-in in fake-kubectl/, which keeps the Secrets in a folder.
describe('create-secrets.sh against a cluster', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'create-secrets-'));
    const path = `${join(__dirname, 'fake-kubectl')}${delimiter}${process.env.PATH}`;
    env = { ...process.env, PATH: path, FAKE_KUBE_STORE: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the script; returns what it applied, which the fake cluster then holds. */
  function apply(args: string[] = []): ISecret[] {
    const run = runCreateSecrets(args, env);
    if (run.status !== 0) throw new Error(`exited ${run.status}: ${run.stderr}`);
    const applied = parseYamlDocuments(readFileSync(join(dir, 'applied.yaml'), 'utf8'), 'apply');
    for (const secret of applied as ISecret[]) {
      for (const [key, value] of Object.entries(secret.data ?? {})) {
        writeFileSync(join(dir, `${secret.metadata?.name}.${key}`), value);
      }
    }
    return applied as ISecret[];
  }

  const value = (secrets: ISecret[], name: string, key: string) =>
    secrets.find((s) => s.metadata?.name === name)?.data?.[key];

  it('keeps every value on a second run', () => {
    const first = apply();
    expect(first).toHaveLength(4);
    expect(apply()).toEqual(first);
  });

  it('--rotate makes a new JWT key pair and keeps the store credentials', () => {
    const first = apply();
    const rotated = apply(['--rotate']);
    expect(value(rotated, 'jwt-private-key', 'JWT_PRIVATE_KEY')).not.toBe(
      value(first, 'jwt-private-key', 'JWT_PRIVATE_KEY'),
    );
    for (const name of ['teams-postgres', 's3-credentials']) {
      expect(rotated.find((s) => s.metadata?.name === name)).toEqual(
        first.find((s) => s.metadata?.name === name),
      );
    }
  });

  it('stops, applying nothing, when the cluster cannot say what it has', () => {
    const run = runCreateSecrets([], { ...env, FAKE_KUBE_DOWN: '1' });
    expect(run.status).not.toBe(0);
    expect(() => accessSync(join(dir, 'applied.yaml'))).toThrow();
  });
});
