// Generated deploy keys: the PEM form Flux and OpenSSH load, and a public key and fingerprint
// identical to what ssh-keygen derives from the private key file.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputErrors } from '../../provider/errors';
import { generateDeployKey, parsePrivateKey, type DeployKeyOptions } from '../../provider/keys';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-key-gen-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function keygen(pem: string, args: string[]): string {
  const file = path.join(dir, `k${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, pem, { mode: 0o600 });
  try {
    return execFileSync('ssh-keygen', [...args, '-f', file], { encoding: 'utf8' }).trim();
  } finally {
    fs.rmSync(file);
  }
}

const cases: Array<[string, DeployKeyOptions, string, string, number]> = [
  ['ed25519 (default)', {}, 'OPENSSH PRIVATE KEY', 'ssh-ed25519', 256],
  ['ecdsa p256', { algorithm: 'ecdsa', curve: 'p256' }, 'PRIVATE KEY', 'ecdsa-sha2-nistp256', 256],
  ['ecdsa default curve (p384, like flux)', { algorithm: 'ecdsa' }, 'PRIVATE KEY', 'ecdsa-sha2-nistp384', 384],
  ['ecdsa p521', { algorithm: 'ecdsa', curve: 'p521' }, 'PRIVATE KEY', 'ecdsa-sha2-nistp521', 521],
  ['rsa 2048', { algorithm: 'rsa', bits: 2048 }, 'PRIVATE KEY', 'ssh-rsa', 2048],
];

describe.each(cases)('generateDeployKey %s', (_name, opts, pemType, sshType, bits) => {
  const key = generateDeployKey(opts);

  test('writes the expected PEM type', () => {
    expect(key.privateKeyPem.startsWith(`-----BEGIN ${pemType}-----\n`)).toBe(true);
    expect(key.privateKeyPem.trimEnd().endsWith(`-----END ${pemType}-----`)).toBe(true);
  });

  test('public key is the authorized_keys form without comment, as ssh-keygen -y derives it', () => {
    expect(key.publicKey).toMatch(new RegExp(`^${sshType} [A-Za-z0-9+/]+=*$`));
    expect(keygen(key.privateKeyPem, ['-y'])).toBe(key.publicKey);
  });

  test('fingerprint equals ssh-keygen -lf', () => {
    const [size, fp] = keygen(key.privateKeyPem, ['-l']).split(' ');
    expect(key.fingerprint).toBe(fp);
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(Number(size)).toBe(bits);
    expect(key.bits).toBe(bits);
  });

  test('parses back to the same key', () => {
    const parsed = parsePrivateKey(key.privateKeyPem);
    expect(parsed.publicKey).toBe(key.publicKey);
    expect(parsed.fingerprint).toBe(key.fingerprint);
    expect(parsed.encrypted).toBe(false);
  });

  test('JSON of the description carries no private material beyond privateKeyPem', () => {
    const { privateKeyPem, ...rest } = key;
    expect(JSON.stringify(rest)).not.toContain('PRIVATE');
    expect(privateKeyPem).toContain('PRIVATE KEY');
  });
});

test('every generated key is new', () => {
  expect(generateDeployKey().fingerprint).not.toBe(generateDeployKey().fingerprint);
});

// the words of the inputs' check (schema/deploy-key-checks.ts), which every front end runs first
test.each([
  [{ algorithm: 'rsa', bits: 1024 }, 'invalid bits 1024: must be a multiple of 8 between 2048 and 16384. Fix: use 4096.'],
  [{ algorithm: 'rsa', bits: 2050 }, 'invalid bits 2050: must be a multiple of 8 between 2048 and 16384. Fix: use 4096.'],
  [{ algorithm: 'ecdsa', curve: 'p224' }, 'invalid curve "p224": must be one of p256, p384, p521. Fix: use "p384", like the flux CLI.'],
  [{ algorithm: 'ed25519', bits: 2048 }, 'invalid bits 2048: applies only to rsa keys. Fix: remove bits, or set algorithm: "rsa".'],
  [{ algorithm: 'rsa', curve: 'p256' }, 'invalid curve "p256": applies only to ecdsa keys. Fix: remove curve, or set algorithm: "ecdsa".'],
  [{ algorithm: 'dsa' }, 'invalid algorithm "dsa": must be one of ed25519, ecdsa, rsa. Fix: use "ed25519".'],
] as Array<[DeployKeyOptions, string]>)('rejects %j with a reason and a remedy', (opts, message) => {
  expect(() => generateDeployKey(opts)).toThrow(InputErrors);
  expect(() => generateDeployKey(opts)).toThrow(message);
});
