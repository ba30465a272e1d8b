// harness: git-http
// The HTTP(S) git server of the harness: git http-backend behind basic and bearer-token auth,
// over plain HTTP and over TLS with a CA made for the run. TLS is always verified.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitEnv, gitOk } from '../harness/git-client';
import { addCredential, createBareRepo, httpUrlFor, makeTestCa, removeCredential, type GitHttpInfo } from '../harness/git-http';
import { harnessInfo } from '../harness/state';

let info: GitHttpInfo;
let tmp: string;
let repo: string;
let env: NodeJS.ProcessEnv;

function withAuth(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

async function commitAndPush(
  url: string,
  file: string,
  extraArgs: string[] = [],
): Promise<{ code: number; stderr: string; head: string; dir: string }> {
  const dir = mkdtempSync(join(tmp, 'work-'));
  await gitOk(['init', '--quiet', '--initial-branch=main', dir], { env });
  writeFileSync(join(dir, file), `${file}\n`);
  await gitOk(['add', file], { cwd: dir, env });
  await gitOk(['commit', '--quiet', '-m', `add ${file}`], { cwd: dir, env });
  const head = (await gitOk(['rev-parse', 'HEAD'], { cwd: dir, env })).trim();
  const r = await git([...extraArgs, 'push', url, 'HEAD:refs/heads/main'], { cwd: dir, env });
  return { code: r.code, stderr: r.stderr, head, dir };
}

beforeAll(() => {
  info = harnessInfo<GitHttpInfo>('git-http');
  tmp = mkdtempSync(join(tmpdir(), 'https-git-test-'));
  repo = `http-test-${randomBytes(4).toString('hex')}/fleet`;
  createBareRepo(info, repo);
  // Verified TLS against the run's CA only: never http.sslVerify=false.
  env = gitEnv(join(tmp, 'home'), { GIT_SSL_CAINFO: info.caFile });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('URLs look like flux bootstrap HTTPS URLs and the CA is a PEM certificate', () => {
  expect(httpUrlFor(info, repo)).toBe(`https://127.0.0.1:${info.httpsPort}/${repo}.git`);
  expect(httpUrlFor(info, repo, { tls: false })).toBe(`http://127.0.0.1:${info.httpPort}/${repo}.git`);
  expect(info.caPem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
});

test('push and clone over HTTPS with basic auth, the server certificate verified against the test CA', async () => {
  const url = withAuth(httpUrlFor(info, repo), info.username, info.password);
  const pushed = await commitAndPush(url, 'basic.txt');
  expect(pushed.stderr).toContain('[new branch]');
  expect(pushed.code).toBe(0);

  const clone = join(tmp, 'basic-clone');
  await gitOk(['clone', '--quiet', url, clone], { env });
  expect((await gitOk(['rev-parse', 'HEAD'], { cwd: clone, env })).trim()).toBe(pushed.head);
});

test('a bearer token pushes (Authorization: Bearer), and works as a basic-auth password too', async () => {
  const url = httpUrlFor(info, repo);
  const clone = join(tmp, 'token-clone');
  const bearer = ['-c', `http.extraHeader=Authorization: Bearer ${info.token}`];
  await gitOk([...bearer, 'clone', '--quiet', url, clone], { env });
  writeFileSync(join(clone, 'token.txt'), 'token\n');
  await gitOk(['add', 'token.txt'], { cwd: clone, env });
  await gitOk(['commit', '--quiet', '-m', 'add token.txt'], { cwd: clone, env });
  await gitOk([...bearer, 'push', '--quiet', 'origin', 'main'], { cwd: clone, env });

  const r = await git(['ls-remote', withAuth(url, 'git', info.token), 'refs/heads/main'], { env });
  expect(r.code).toBe(0);
  const head = (await gitOk(['rev-parse', 'HEAD'], { cwd: clone, env })).trim();
  expect(r.stdout).toBe(`${head}\trefs/heads/main\n`);
});

test('a wrong password, a wrong token and no credentials at all are refused', async () => {
  const url = httpUrlFor(info, repo);
  const wrongPassword = await git(['ls-remote', withAuth(url, info.username, 'not-the-password')], { env });
  expect(wrongPassword.code).not.toBe(0);
  expect(wrongPassword.stderr).toContain('Authentication failed');

  const wrongToken = await git(['-c', 'http.extraHeader=Authorization: Bearer not-a-token', 'ls-remote', url], { env });
  expect(wrongToken.code).not.toBe(0);
  expect(wrongToken.stderr).toMatch(/Authentication failed|could not read Username/);

  const none = await git(['ls-remote', url], { env });
  expect(none.code).not.toBe(0);
});

test('read-only credentials clone but cannot push', async () => {
  const url = withAuth(httpUrlFor(info, repo), info.readOnly.username, info.readOnly.password);
  const r = await git(['ls-remote', url], { env });
  expect(r.code).toBe(0);
  const pushed = await commitAndPush(url, 'reader.txt');
  expect(pushed.code).not.toBe(0);
  expect(pushed.stderr).toContain('403');
});

test('credentials added at run time work at once, limited to their repositories, and can be removed', async () => {
  const other = `${repo}-other`;
  createBareRepo(info, other);
  addCredential(info, { username: 'scoped', password: 'scoped-secret', access: 'rw', repos: [repo] });
  expect((await git(['ls-remote', withAuth(httpUrlFor(info, repo), 'scoped', 'scoped-secret')], { env })).code).toBe(0);
  const elsewhere = await git(['ls-remote', withAuth(httpUrlFor(info, other), 'scoped', 'scoped-secret')], { env });
  expect(elsewhere.code).not.toBe(0);
  expect(elsewhere.stderr).toContain('403');
  removeCredential(info, { username: 'scoped' });
  expect((await git(['ls-remote', withAuth(httpUrlFor(info, repo), 'scoped', 'scoped-secret')], { env })).code).not.toBe(0);
});

test('TLS verification fails against another CA, and succeeds for a non-git client given the test CA', async () => {
  const otherCa = makeTestCa(join(tmp, 'other-ca'), 'some other CA');
  const url = withAuth(httpUrlFor(info, repo), info.username, info.password);
  const r = await git(['ls-remote', url], { env: { ...env, GIT_SSL_CAINFO: otherCa.caFile } });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/certificate|SSL/i);

  const status = await new Promise<number>((resolve, reject) => {
    httpsGet(
      `${httpUrlFor(info, repo)}/info/refs?service=git-upload-pack`,
      {
        ca: info.caPem,
        headers: { Authorization: `Bearer ${info.token}` },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    ).on('error', reject);
  });
  expect(status).toBe(200);
});

test('plain HTTP serves the same repositories', async () => {
  const url = withAuth(httpUrlFor(info, repo, { tls: false }), info.username, info.password);
  const r = await git(['ls-remote', url, 'refs/heads/main'], { env });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main\n$/);
});

test('gzip-encoded fetch requests (git compresses large negotiations) are served', async () => {
  const url = withAuth(httpUrlFor(info, repo), info.username, info.password);
  const work = join(tmp, 'many-branches');
  await gitOk(['clone', '--quiet', url, work], { env });
  // 80 branches on 80 different commits: fetching them all sends more than 1 KiB of "want"
  // lines, which git gzips
  const tree = (await gitOk(['rev-parse', 'HEAD^{tree}'], { cwd: work, env })).trim();
  for (let i = 0; i < 80; i++) {
    const commit = (await gitOk(['commit-tree', tree, '-p', 'HEAD', '-m', `commit ${i}`], { cwd: work, env })).trim();
    await gitOk(['update-ref', `refs/heads/branch-with-a-long-name-${i}`, commit], { cwd: work, env });
  }
  await gitOk(['push', '--quiet', 'origin', '--all'], { cwd: work, env });
  const fresh = join(tmp, 'fresh');
  await gitOk(['init', '--quiet', fresh], { env });
  await gitOk(['fetch', '--quiet', url, 'refs/heads/*:refs/remotes/origin/*'], { cwd: fresh, env });
  const refs = await gitOk(['for-each-ref', '--format=%(refname)', 'refs/remotes/origin/'], { cwd: fresh, env });
  expect(refs.trim().split('\n')).toHaveLength(81);
  const log = readFileSync(join(info.stateDir, 'server.log'), 'utf8');
  expect(log).toMatch(/POST \/[^ ]+\/git-upload-pack \(gzip\) user=git -> 200/);
});
