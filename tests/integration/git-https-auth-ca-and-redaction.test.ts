// harness: git-http
// commitFiles and reads over real smart HTTP(S) (git http-backend): basic auth and bearer
// tokens travel as a header through the environment, TLS is verified against the given CA,
// and tokens never reach argv or an error message.
import { randomBytes } from 'node:crypto';
import { commitFiles, GitError, readBlobs, readTree, remoteHead, type GitAuth } from '../../provider/git';
import { createBareRepo, httpUrlFor, type GitHttpInfo } from '../harness/git-http';
import { Secret } from '../../provider/secret';
import { harnessInfo } from '../harness/state';
import { commitCount, head } from './git/bare-repo';
import { leaks, watchArgv } from './git/secret-watch';

const author = { name: 'Flux', email: 'flux@example.test' };
let info: GitHttpInfo;
let url: string;
let dir: string;
let basic: GitAuth;
let bearer: GitAuth;

async function failure(p: Promise<unknown>): Promise<GitError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GitError);
  return e as GitError;
}

beforeAll(() => {
  info = harnessInfo<GitHttpInfo>('git-http');
  const name = `git-https-${randomBytes(4).toString('hex')}/fleet`;
  dir = createBareRepo(info, name);
  url = httpUrlFor(info, name);
  basic = { kind: 'https', username: info.username, password: info.password, caPem: info.caPem };
  // a wrapped token works like a plain one (provider/secret.ts)
  bearer = { kind: 'https', bearerToken: new Secret(info.token), caPem: info.caPem };
});

test('basic auth and bearer token both commit and read over TLS with the given CA', async () => {
  const secrets = [info.password, info.token, Buffer.from(`${info.username}:${info.password}`).toString('base64')];
  const watch = watchArgv(secrets);
  const a = await commitFiles(url, basic, { branch: 'main', files: { 'c/a.yaml': 'a\n' }, message: 'basic', author });
  const b = await commitFiles(url, bearer, { branch: 'main', files: { 'c/b.yaml': 'b\n' }, message: 'bearer', author });
  const same = await commitFiles(url, bearer, { branch: 'main', files: { 'c/b.yaml': 'b\n' }, message: 'again', author });
  expect(await remoteHead(url, basic, 'main')).toBe(b.commit);
  const tree = await readTree(url, bearer, 'main', 'c');
  const blobs = await readBlobs(url, basic, 'main', ['c/a.yaml']);
  expect(await watch.stop()).toEqual([]);

  expect(a.changed && b.changed).toBe(true);
  expect(same).toEqual({ commit: b.commit, changed: false, attempts: 0 });
  expect(head(dir)).toBe(b.commit);
  expect(commitCount(dir)).toBe(2);
  expect(tree.entries.map((e) => e.path)).toEqual(['c/a.yaml', 'c/b.yaml']);
  expect(blobs.files).toEqual({ 'c/a.yaml': 'a\n' });
});

test('plain HTTP works with the same credentials', async () => {
  const plain = httpUrlFor(
    info,
    url
      .split('/')
      .slice(-2)
      .join('/')
      .replace(/\.git$/, ''),
    { tls: false },
  );
  expect(await remoteHead(plain, { kind: 'https', username: info.username, password: info.password }, 'main')).toBe(head(dir));
});

test('without the CA the server certificate is refused, never skipped', async () => {
  const e = await failure(remoteHead(url, { kind: 'https', bearerToken: info.token }, 'main'));
  expect(e.kind).toBe('tls');
  expect(e.message).toMatch(/could not be verified\. Fix: give the CA certificate/);
});

test('wrong credentials and read-only tokens fail clearly, with no credential in the error', async () => {
  const wrong = `wrong-${randomBytes(8).toString('hex')}`;
  const errors = [
    await failure(remoteHead(url, { kind: 'https', bearerToken: wrong, caPem: info.caPem }, 'main')),
    await failure(remoteHead(url, { kind: 'https', username: info.username, password: wrong, caPem: info.caPem }, 'main')),
    await failure(
      commitFiles(
        url,
        { kind: 'https', bearerToken: info.readOnly.token, caPem: info.caPem },
        { branch: 'main', files: { ro: 'x' }, message: 'm', author },
      ),
    ),
  ];
  expect(errors.map((e) => e.kind)).toEqual(['auth', 'auth', 'auth']);
  expect(errors[2].message).toMatch(/may read .* but not push to it/);
  const pieces = [wrong, info.readOnly.token, info.password, Buffer.from(`${info.username}:${wrong}`).toString('base64')];
  for (const e of errors) expect(leaks([e.message, e.detail, e.stack ?? '', JSON.stringify(e)].join('\n'), pieces)).toEqual([]);
});

test('credentials in the URL are refused before git runs, and not echoed', async () => {
  const withPassword = url.replace('https://', `https://${info.username}:${info.password}@`);
  const e = await failure(remoteHead(withPassword, bearer, 'main'));
  expect(e.kind).toBe('input');
  expect(e.message).not.toContain(info.password);
});
