// harness: git-ssh
// Signed commits: an SSH signing key (gpg.format=ssh) and an OpenPGP key, with and without a
// passphrase. The server-side repository verifies the signatures with git verify-commit.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitFiles, type GitAuth } from '../../provider/git';
import { generateDeployKey } from '../../provider/keys';
import { createBareRepo, grantKey, revokeKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { harnessInfo } from '../harness/state';
import { watchArgv } from './git/secret-watch';

const author = { name: 'Flux', email: 'flux@example.test' };
let info: GitSshInfo;
let url: string;
let dir: string;
let auth: GitAuth;
let deployKey: string;
let tmp: string;

beforeAll(() => {
  info = harnessInfo<GitSshInfo>('git-ssh');
  const name = `git-signing-${randomBytes(4).toString('hex')}/fleet`;
  dir = createBareRepo(info, name);
  url = urlFor(info, name);
  const key = generateDeployKey();
  deployKey = key.publicKey;
  grantKey(info, key.publicKey, name, 'rw');
  auth = { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: info.knownHosts };
  tmp = mkdtempSync(join(tmpdir(), 'git-signing-'));
});
afterAll(() => {
  revokeKey(info, deployKey);
  try {
    execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: join(tmp, 'gnupg') } });
  } catch {
    /* none */
  }
  rmSync(tmp, { recursive: true, force: true });
});

/** git verify-commit on the server's copy: exit status and the signature check (stderr). */
function verify(commit: string, env: NodeJS.ProcessEnv, config: string[] = []): { status: number | null; out: string } {
  const r = spawnSync('git', ['--git-dir', dir, ...config, 'verify-commit', '--raw', commit], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stderr };
}

test.each([false, true])('an SSH signing key signs the commit (passphrase: %s)', async (withPassphrase) => {
  const signer = generateDeployKey();
  let privateKey = signer.privateKeyPem;
  const passphrase = withPassphrase ? `pw-${randomBytes(6).toString('hex')}` : undefined;
  if (passphrase) {
    const f = join(tmp, 'signer');
    writeFileSync(f, privateKey, { mode: 0o600 });
    execFileSync('ssh-keygen', ['-q', '-p', '-N', passphrase, '-f', f], {
      stdio: 'ignore',
      env: { PATH: process.env.PATH, SSH_ASKPASS_REQUIRE: 'never' },
    });
    privateKey = readFileSync(f, 'utf8');
    rmSync(f);
  }
  const watch = watchArgv(passphrase ? [passphrase] : []);
  const r = await commitFiles(url, auth, {
    branch: 'main',
    files: { [`ssh-signed-${withPassphrase}`]: 'x\n' },
    message: 'ssh signed',
    author,
    signing: { format: 'ssh', privateKey, passphrase },
  });
  expect(await watch.stop()).toEqual([]);
  const allowed = join(tmp, 'allowed_signers');
  writeFileSync(allowed, `${author.email} ${signer.publicKey}\n`);
  const v = verify(r.commit!, {}, ['-c', `gpg.ssh.allowedSignersFile=${allowed}`]);
  expect(v.out).toContain(`Good "git" signature for ${author.email} with ED25519 key ${signer.fingerprint}`);
  expect(v.status).toBe(0);
});

test.each([false, true])('an OpenPGP key signs the commit (passphrase: %s)', async (withPassphrase) => {
  const home = join(tmp, 'gnupg');
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { mode: 0o700 });
  const env = { PATH: process.env.PATH, GNUPGHOME: home };
  const passphrase = withPassphrase ? `pgp-${randomBytes(6).toString('hex')}` : '';
  execFileSync(
    'gpg',
    [
      '--batch',
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      passphrase,
      '--quick-gen-key',
      'Flux <flux@example.test>',
      'ed25519',
      'sign',
      'never',
    ],
    { env, stdio: 'ignore' },
  );
  const armored = execFileSync(
    'gpg',
    ['--batch', '--pinentry-mode', 'loopback', '--passphrase', passphrase, '--armor', '--export-secret-keys'],
    { env, encoding: 'utf8' },
  );
  const watch = watchArgv(withPassphrase ? [passphrase] : []);
  const r = await commitFiles(url, auth, {
    branch: 'main',
    files: { [`pgp-signed-${withPassphrase}`]: 'x\n' },
    message: 'pgp signed',
    author,
    signing: { format: 'openpgp', privateKey: armored, passphrase: passphrase || undefined },
  });
  expect(await watch.stop()).toEqual([]);
  const v = verify(r.commit!, env);
  expect(v.out).toMatch(/GOODSIG [0-9A-F]+ Flux <flux@example.test>/);
  expect(v.status).toBe(0);
  execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env });
});
