// harness: git-ssh
// SSH trust and keys against the real sshd: generated keys of every algorithm authenticate
// (so their format is right), passphrase-protected user keys work, host key checking is
// strict with a clear error, and no secret reaches argv, an error message or a leftover file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { commitFiles, GitError, remoteHead, type GitAuth } from '../../provider/git';
import { generateDeployKey, parseKnownHosts, scanKnownHosts, type DeployKeyOptions } from '../../provider/keys';
import { createBareRepo, grantKey, revokeKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { Secret } from '../../provider/secret';
import { harnessInfo } from '../harness/state';
import { head } from './git/bare-repo';
import { leaks, secretPieces, watchArgv } from './git/secret-watch';

const author = { name: 'Flux', email: 'flux@example.test' };
let info: GitSshInfo;
let name: string;
let url: string;
let dir: string;
let tmp: string;
let keysDir: string;
const granted: string[] = [];

function grant(publicKey: string, access: 'ro' | 'rw' = 'rw'): void {
  grantKey(info, publicKey, name, access);
  granted.push(publicKey);
}

async function failure(p: Promise<unknown>): Promise<GitError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GitError);
  return e as GitError;
}

function errorText(e: GitError): string {
  return [e.message, e.stack ?? '', e.detail, JSON.stringify(e)].join('\n');
}

beforeAll(() => {
  info = harnessInfo<GitSshInfo>('git-ssh');
  name = `git-trust-${randomBytes(4).toString('hex')}/fleet`;
  dir = createBareRepo(info, name);
  url = urlFor(info, name);
  keysDir = mkdtempSync(join(tmpdir(), 'git-trust-keys-'));
  // Our temp dirs go here, so the test can see that none is left behind.
  tmp = mkdtempSync(join(tmpdir(), 'git-trust-'));
  process.env.TMPDIR = tmp;
});
afterAll(() => {
  for (const k of granted) revokeKey(info, k);
  delete process.env.TMPDIR;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(keysDir, { recursive: true, force: true });
});
afterEach(() => {
  // every operation removes its temp dir (keys, known_hosts, GIT_DIR) when it ends
  expect(readdirSync(tmp)).toEqual([]);
});

test.each<[string, DeployKeyOptions]>([
  ['ed25519', {}],
  ['ecdsa p256', { algorithm: 'ecdsa', curve: 'p256' }],
  ['ecdsa p384', { algorithm: 'ecdsa', curve: 'p384' }],
  ['ecdsa p521', { algorithm: 'ecdsa', curve: 'p521' }],
  ['rsa 3072', { algorithm: 'rsa', bits: 3072 }],
])('a generated %s key authenticates and pushes', async (label, opts) => {
  const key = generateDeployKey(opts);
  grant(key.publicKey);
  const auth: GitAuth = { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: info.knownHosts };
  const r = await commitFiles(url, auth, {
    branch: 'main',
    files: { [`keys/${label.replace(' ', '-')}`]: key.publicKey },
    message: `key ${label}`,
    author,
  });
  expect(r.changed).toBe(true);
  expect(await remoteHead(url, auth, 'main')).toBe(head(dir));
});

test.each<[string, string[]]>([
  ['OpenSSH ed25519', ['-t', 'ed25519']],
  ['PEM rsa', ['-t', 'rsa', '-b', '2048', '-m', 'PEM']],
])('a passphrase-protected %s user key works; the passphrase never reaches argv or output', async (label, args) => {
  const file = join(keysDir, label.replace(/\W/g, '-'));
  const passphrase = `pass-${randomBytes(6).toString('hex')}`;
  try {
    execFileSync('ssh-keygen', ['-q', ...args, '-N', passphrase, '-C', 'user', '-f', file]);
    const privateKey = readFileSync(file, 'utf8');
    grant(readFileSync(`${file}.pub`, 'utf8'));
    const auth: GitAuth = { kind: 'ssh', privateKey, passphrase, knownHosts: info.knownHosts };
    const watch = watchArgv(secretPieces(passphrase, privateKey));
    const r = await commitFiles(url, auth, {
      branch: 'main',
      files: { [`user/${label.replace(/\W/g, '-')}`]: 'x\n' },
      message: label,
      author,
    });
    expect(await watch.stop()).toEqual([]);
    expect(r.commit).toBe(head(dir));
    const wrong = await failure(remoteHead(url, { ...auth, passphrase: 'not-it' }, 'main'));
    expect(wrong.kind).toBe('input');
    expect(wrong.message).toMatch(/passphrase does not decrypt/);
  } finally {
    rmSync(file, { force: true });
  }
});

test('ssh-keyscan finds the host key that the server uses', async () => {
  const lines = await scanKnownHosts(info.host, info.port, { timeoutMs: 10_000 });
  expect(lines[0]).toBe(info.knownHosts);
  expect(parseKnownHosts(lines.join('\n'))[0].keyType).toBe('ssh-ed25519');
  const key = generateDeployKey();
  grant(key.publicKey, 'ro');
  expect(await remoteHead(url, { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: lines.join('\n') }, 'main')).toBe(head(dir));
});

describe('host key checking is never skipped', () => {
  let key: ReturnType<typeof generateDeployKey>;
  beforeAll(() => {
    key = generateDeployKey();
    grant(key.publicKey);
  });

  test('a different key for [127.0.0.1]:port is refused, naming the host and the fix', async () => {
    const impostor = generateDeployKey().publicKey;
    const e = await failure(
      remoteHead(url, { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: `[127.0.0.1]:${info.port} ${impostor}` }, 'main'),
    );
    expect(e.kind).toBe('host-key');
    expect(e.message).toContain(`host key for [127.0.0.1]:${info.port} does not match known_hosts`);
    expect(e.message).toMatch(/the server presented ED25519 key SHA256:[A-Za-z0-9+/]+\)/);
    expect(e.message).toContain(
      `Fix: if the server's key was rotated, check the new fingerprint out of band and replace known_hosts with the output of \`ssh-keyscan -p ${info.port} 127.0.0.1\``,
    );
  });

  test('known_hosts for another host is refused too', async () => {
    const e = await failure(
      commitFiles(
        url,
        { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: `[127.0.0.1]:1 ${info.knownHosts.split(' ').slice(1).join(' ')}` },
        { branch: 'main', files: { a: 'a' }, message: 'm', author },
      ),
    );
    expect(e.kind).toBe('host-key');
    expect(e.message).toContain(`known_hosts has no matching host key for [127.0.0.1]:${info.port}`);
  });

  test('no known_hosts at all is an input error before connecting', async () => {
    const e = await failure(remoteHead(url, { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: '' }, 'main'));
    expect(e.kind).toBe('input');
    expect(e.message).toMatch(/host key checking is never disabled/);
  });
});

test('a read-only key reads but cannot push; an unknown key is refused with its fingerprint', async () => {
  const ro = generateDeployKey({ algorithm: 'ecdsa' });
  grant(ro.publicKey, 'ro');
  const roAuth: GitAuth = { kind: 'ssh', privateKey: ro.privateKeyPem, knownHosts: info.knownHosts };
  expect(await remoteHead(url, roAuth, 'main')).toBe(head(dir));
  const push = await failure(commitFiles(url, roAuth, { branch: 'main', files: { 'ro/x': 'x' }, message: 'm', author }));
  expect(push.kind).toBe('auth');
  expect(push.message).toContain(`give the deploy key ${ro.fingerprint} write access`);

  const stranger = generateDeployKey();
  const denied = await failure(remoteHead(url, { kind: 'ssh', privateKey: stranger.privateKeyPem, knownHosts: info.knownHosts }, 'main'));
  expect(denied.kind).toBe('auth');
  expect(denied.message).toContain(`register the public key ${stranger.fingerprint} as a deploy key`);
  for (const e of [push, denied]) expect(leaks(errorText(e), secretPieces(ro.privateKeyPem, stranger.privateKeyPem))).toEqual([]);
});

test('no key material in argv while operations run, nor in any error', async () => {
  const key = generateDeployKey({ algorithm: 'rsa', bits: 2048 });
  grant(key.publicKey);
  const auth: GitAuth = { kind: 'ssh', privateKey: new Secret(key.privateKeyPem), knownHosts: info.knownHosts };
  const pieces = secretPieces(key.privateKeyPem);
  const watch = watchArgv(pieces);
  await commitFiles(url, auth, { branch: 'main', files: { 'argv/a': 'a' }, message: 'argv', author });
  await remoteHead(url, auth, 'main');
  const errors = [
    await failure(remoteHead(url, { ...auth, knownHosts: `[127.0.0.1]:${info.port} ${generateDeployKey().publicKey}` }, 'main')),
    await failure(remoteHead(`${url}-missing`, auth, 'main')),
  ];
  expect(await watch.stop()).toEqual([]);
  for (const e of errors) expect(leaks(errorText(e), pieces)).toEqual([]);
});
