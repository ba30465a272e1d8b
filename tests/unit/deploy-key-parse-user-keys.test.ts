// User-given private keys in every form ssh-keygen and openssl write, with and without a
// passphrase: public key and fingerprint must equal ssh-keygen's, and the OpenSSH form we
// hand to `ssh -i` must load in OpenSSH. Formats Flux cannot read are refused with a remedy.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KeyError, parsePrivateKey, unlockPrivateKey } from '../../provider/keys';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-key-parse-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** ssh-keygen writes the key; returns its PEM and what ssh-keygen says about it. */
function sshKeygen(
  name: string,
  type: string,
  format: 'RFC4716' | 'PEM' | 'PKCS8',
  passphrase = '',
): { pem: string; publicKey: string; fingerprint: string } {
  const file = path.join(dir, name);
  const bits = type === 'rsa' ? ['-b', '2048'] : type === 'ecdsa' ? ['-b', '256'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-m', format, '-N', passphrase, '-C', 'user@example', '-f', file]);
  const pub = fs.readFileSync(`${file}.pub`, 'utf8').trim().split(' ');
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1];
  return { pem: fs.readFileSync(file, 'utf8'), publicKey: `${pub[0]} ${pub[1]}`, fingerprint };
}

function loadsInOpenSSH(openssh: string): string {
  const file = path.join(dir, `check-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, openssh, { mode: 0o600 });
  try {
    return execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
  } finally {
    fs.rmSync(file);
  }
}

const PASS = 'correct horse battery';

// [name, type, file format, passphrase, expected parse format]
const cases: Array<[string, string, 'RFC4716' | 'PEM' | 'PKCS8', string, string]> = [
  ['openssh ed25519', 'ed25519', 'RFC4716', '', 'openssh'],
  ['openssh ecdsa', 'ecdsa', 'RFC4716', '', 'openssh'],
  ['openssh rsa', 'rsa', 'RFC4716', '', 'openssh'],
  ['openssh ed25519 with passphrase', 'ed25519', 'RFC4716', PASS, 'openssh'],
  ['openssh rsa with passphrase', 'rsa', 'RFC4716', PASS, 'openssh'],
  ['PEM PKCS#1 rsa', 'rsa', 'PEM', '', 'pkcs1'],
  ['PEM PKCS#1 rsa with passphrase', 'rsa', 'PEM', PASS, 'pkcs1'],
  ['PEM SEC1 ecdsa', 'ecdsa', 'PEM', '', 'sec1'],
  ['PEM SEC1 ecdsa with passphrase', 'ecdsa', 'PEM', PASS, 'sec1'],
  ['PKCS#8 ecdsa', 'ecdsa', 'PKCS8', '', 'pkcs8'],
  ['PKCS#8 rsa', 'rsa', 'PKCS8', '', 'pkcs8'],
];

describe.each(cases)('%s', (name, type, format, passphrase, expectedFormat) => {
  let key: ReturnType<typeof sshKeygen>;
  beforeAll(() => {
    key = sshKeygen(name.replace(/\W+/g, '-'), type, format, passphrase);
  });

  test("public key and fingerprint equal ssh-keygen's", () => {
    const parsed = parsePrivateKey(key.pem, passphrase || undefined);
    expect(parsed.publicKey).toBe(key.publicKey);
    expect(parsed.fingerprint).toBe(key.fingerprint);
    expect(parsed.format).toBe(expectedFormat);
    expect(parsed.encrypted).toBe(passphrase !== '');
  });

  test('unlocks to an unencrypted OpenSSH key that OpenSSH loads', async () => {
    const unlocked = await unlockPrivateKey(key.pem, passphrase || undefined);
    expect(unlocked.openssh).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(loadsInOpenSSH(unlocked.openssh)).toBe(key.publicKey);
    expect(unlocked.parsed.fingerprint).toBe(key.fingerprint);
  });

  if (passphrase) {
    test('a missing passphrase is a clear error', async () => {
      await expect(unlockPrivateKey(key.pem)).rejects.toThrow(/encrypted and no passphrase was given/);
    });
    test('a wrong passphrase is a clear error that does not echo it', async () => {
      const err = await unlockPrivateKey(key.pem, 'wrong passphrase').catch((e: Error) => e);
      expect(err).toBeInstanceOf(KeyError);
      expect((err as Error).message).toMatch(/passphrase does not decrypt the private key\. Fix: /);
      expect((err as Error).message).not.toContain('wrong passphrase');
    });
  }
});

test('openssl PKCS#8 ed25519 (what terraform tls_private_key writes) parses', () => {
  const file = path.join(dir, 'openssl-ed25519.pem');
  execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', file]);
  const parsed = parsePrivateKey(fs.readFileSync(file, 'utf8'));
  expect(parsed.algorithm).toBe('ed25519');
  expect(parsed.format).toBe('pkcs8');
  expect(parsed.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+$/);
});

test('encrypted PKCS#8 is refused: Flux cannot read it', () => {
  const file = path.join(dir, 'enc-pkcs8.pem');
  execFileSync('openssl', [
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-aes-256-cbc',
    '-pass',
    'pass:secret-pass',
    '-out',
    file,
  ]);
  expect(() => parsePrivateKey(fs.readFileSync(file, 'utf8'), 'secret-pass')).toThrow(
    /encrypted PKCS#8.*Fix: convert it to the OpenSSH format/,
  );
});

test.each([
  ['not PEM', 'hello', /not in PEM form/],
  ['a public key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGc1', /a public key was given/],
  ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', /PEM type "CERTIFICATE" is not an SSH private key/],
  [
    'a truncated key',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n',
    /could not be read/,
  ],
])('%s is refused with a reason and a remedy', (_n, pem, message) => {
  expect(() => parsePrivateKey(pem)).toThrow(KeyError);
  expect(() => parsePrivateKey(pem)).toThrow(message);
  expect(() => parsePrivateKey(pem)).toThrow(/Fix: /);
});

test('the KeyObject stays out of JSON and error text', () => {
  const key = sshKeygen('json-check', 'ed25519', 'RFC4716');
  const parsed = parsePrivateKey(key.pem);
  expect(parsed.keyObject).toBeDefined();
  expect(Object.keys(parsed)).not.toContain('keyObject');
  expect(JSON.stringify(parsed)).not.toMatch(/PRIVATE|keyObject/);
});

test("a KeyError becomes the engine's InputError on the field, showing the value as [secret]", () => {
  const pem = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';
  const err = (() => {
    try {
      parsePrivateKey(pem);
    } catch (e) {
      return e as KeyError;
    }
    throw new Error('parsed');
  })();
  const input = err.asInputError('privateKey', pem);
  expect(input.message).toMatch(
    /^invalid privateKey \[secret\]: the private key could not be read .*\. Fix: give the private key file content/,
  );
  expect(input.message).not.toContain('AAAA');
  expect(JSON.stringify(input)).not.toContain('AAAA');
});
