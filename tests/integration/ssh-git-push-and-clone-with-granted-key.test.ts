// harness: git-ssh
// The SSH git server of the harness: real sshd and git, keys granted per repository, and a
// client that always checks the host key against the harness's known_hosts.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitEnv, gitOk } from '../harness/git-client';
import {
  createBareRepo,
  generateKeyPair,
  gitSshCommand,
  grantKey,
  sshOptions,
  revokeKey,
  setKeyGrants,
  urlFor,
  writeKnownHosts,
  type GitSshInfo,
  type KeyPair,
} from '../harness/git-ssh';
import { harnessInfo } from '../harness/state';

let info: GitSshInfo;
let tmp: string;
let knownHosts: string;
let repo: string;
let other: string;
const keys: Record<'writer' | 'reader' | 'stranger', KeyPair> = {} as never;

function envFor(key: KeyPair, hosts = knownHosts): NodeJS.ProcessEnv {
  return gitEnv(join(tmp, 'home'), { GIT_SSH_COMMAND: gitSshCommand(key.privateKeyFile, hosts) });
}

async function commitAndPush(key: KeyPair, url: string, file: string): Promise<{ code: number; stderr: string; head: string }> {
  const dir = mkdtempSync(join(tmp, 'work-'));
  const env = envFor(key);
  await gitOk(['init', '--quiet', '--initial-branch=main', dir], { env });
  writeFileSync(join(dir, file), `${file}\n`);
  await gitOk(['add', file], { cwd: dir, env });
  await gitOk(['commit', '--quiet', '-m', `add ${file}`], { cwd: dir, env });
  const head = (await gitOk(['rev-parse', 'HEAD'], { cwd: dir, env })).trim();
  const r = await git(['push', url, 'HEAD:refs/heads/main'], { cwd: dir, env });
  return { code: r.code, stderr: r.stderr, head };
}

beforeAll(() => {
  info = harnessInfo<GitSshInfo>('git-ssh');
  tmp = mkdtempSync(join(tmpdir(), 'ssh-git-test-'));
  knownHosts = writeKnownHosts(info, join(tmp, 'known_hosts'));
  const id = randomBytes(4).toString('hex');
  repo = `ssh-test-${id}/fleet`;
  other = `ssh-test-${id}/other`;
  createBareRepo(info, repo);
  createBareRepo(info, other);
  for (const name of ['writer', 'reader', 'stranger'] as const) keys[name] = generateKeyPair(join(tmp, 'keys'), name);
  grantKey(info, keys.writer.publicKey, repo, 'rw');
  grantKey(info, keys.reader.publicKey, repo, 'ro');
});

afterAll(() => {
  revokeKey(info, keys.writer.publicKey);
  revokeKey(info, keys.reader.publicKey);
  rmSync(tmp, { recursive: true, force: true });
});

test('the known_hosts line names the server as [127.0.0.1]:port with its ed25519 host key', () => {
  expect(info.knownHosts).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${info.port} ssh-ed25519 AAAA[A-Za-z0-9+/=]+$`));
  expect(urlFor(info, repo)).toBe(`ssh://git@127.0.0.1:${info.port}/${repo}`);
});

test('a key granted read-write pushes a commit, and a clone with it gets the commit back', async () => {
  const pushed = await commitAndPush(keys.writer, urlFor(info, repo), 'pushed-by-writer.txt');
  expect(pushed.stderr).toContain('[new branch]');
  expect(pushed.code).toBe(0);

  const clone = join(tmp, 'writer-clone');
  await gitOk(['clone', '--quiet', urlFor(info, repo), clone], { env: envFor(keys.writer) });
  expect((await gitOk(['rev-parse', 'HEAD'], { cwd: clone, env: envFor(keys.writer) })).trim()).toBe(pushed.head);
  expect(readFileSync(join(clone, 'pushed-by-writer.txt'), 'utf8')).toBe('pushed-by-writer.txt\n');
});

test('the same repository is reachable with a .git suffix on the URL', async () => {
  const r = await git(['ls-remote', `${urlFor(info, repo)}.git`], { env: envFor(keys.writer) });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

test('a key granted nothing is refused at login', async () => {
  const r = await git(['ls-remote', urlFor(info, repo)], { env: envFor(keys.stranger) });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('Permission denied (publickey)');
});

test('a read-only key clones but cannot push', async () => {
  const clone = join(tmp, 'reader-clone');
  await gitOk(['clone', '--quiet', urlFor(info, repo), clone], { env: envFor(keys.reader) });
  expect(existsSync(join(clone, 'pushed-by-writer.txt'))).toBe(true);

  const pushed = await commitAndPush(keys.reader, urlFor(info, repo), 'pushed-by-reader.txt');
  expect(pushed.code).not.toBe(0);
  expect(pushed.stderr).toContain(`may read ${repo} but not push to it`);
});

test('a key granted one repository cannot reach another', async () => {
  const r = await git(['ls-remote', urlFor(info, other)], { env: envFor(keys.writer) });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain(`this key has no access to ${other}`);
});

test('a login that asks for anything but git fetch or push is refused', async () => {
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'ssh',
      [...sshOptions(keys.writer.privateKeyFile, knownHosts), '-p', String(info.port), 'git@127.0.0.1', 'cat /etc/passwd'],
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
    );
  });
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('only git fetch and push are served');
});

test('strict host key checking refuses the server when known_hosts holds another key', async () => {
  const wrong = generateKeyPair(join(tmp, 'keys'), 'not-the-host-key');
  const wrongHosts = join(tmp, 'wrong_known_hosts');
  writeFileSync(wrongHosts, `[127.0.0.1]:${info.port} ${wrong.publicKey.split(' ').slice(0, 2).join(' ')}\n`);
  const r = await git(['ls-remote', urlFor(info, repo)], { env: envFor(keys.writer, wrongHosts) });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('Host key verification failed');

  const empty = join(tmp, 'empty_known_hosts');
  writeFileSync(empty, '');
  const unknown = await git(['ls-remote', urlFor(info, repo)], { env: envFor(keys.writer, empty) });
  expect(unknown.code).not.toBe(0);
  expect(unknown.stderr).toContain('Host key verification failed');
});

test('grants fed by another source (a fake Git host API) take effect on the next login, and can be withdrawn', async () => {
  const deployKey = generateKeyPair(join(tmp, 'keys'), 'deploy-key');
  expect((await git(['ls-remote', urlFor(info, other)], { env: envFor(deployKey) })).code).not.toBe(0);

  setKeyGrants(info, 'fake-api-test', [{ publicKey: deployKey.publicKey, repo: other, access: 'ro' }]);
  const granted = await git(['ls-remote', urlFor(info, other)], { env: envFor(deployKey) });
  expect(granted.stderr).toBe('');
  expect(granted.code).toBe(0);

  setKeyGrants(info, 'fake-api-test', []);
  const withdrawn = await git(['ls-remote', urlFor(info, other)], { env: envFor(deployKey) });
  expect(withdrawn.stderr).toContain('Permission denied (publickey)');
  // the test's own grants are untouched by the other source
  expect((await git(['ls-remote', urlFor(info, repo)], { env: envFor(keys.writer) })).code).toBe(0);
});

test('revoking a key shuts it out on the next login', async () => {
  const key = generateKeyPair(join(tmp, 'keys'), 'revoked');
  grantKey(info, key.publicKey, repo, 'rw');
  expect((await git(['ls-remote', urlFor(info, repo)], { env: envFor(key) })).code).toBe(0);
  revokeKey(info, key.publicKey);
  const r = await git(['ls-remote', urlFor(info, repo)], { env: envFor(key) });
  expect(r.stderr).toContain('Permission denied (publickey)');
});
