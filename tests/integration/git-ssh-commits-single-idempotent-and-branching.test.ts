// harness: git-ssh
// commitFiles over real SSH: one commit per change, nothing when nothing changes, empty
// repositories and new branches, deletions; readTree/readBlobs report what the server holds
// with the least transfer. Also prints the timing of the cheap no-change check vs a commit.
import { randomBytes } from 'node:crypto';
import { blobId, commitFiles, readBlobs, readTree, remoteHead, type GitAuth } from '../../provider/git';
import { generateDeployKey } from '../../provider/keys';
import { createBareRepo, grantKey, revokeKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { harnessInfo } from '../harness/state';
import { allowFilter, commitCount, fileAt, filesAt, head, parentsOf, serverGit } from './git/bare-repo';

const author = { name: 'Flux Bootstrap', email: 'flux@example.test' };
let info: GitSshInfo;
let auth: GitAuth;
let publicKey: string;
const id = randomBytes(4).toString('hex');

function repo(name: string): { url: string; dir: string } {
  const r = `git-commit-${id}/${name}`;
  const dir = createBareRepo(info, r);
  grantKey(info, publicKey, r, 'rw');
  return { url: urlFor(info, r), dir };
}

beforeAll(() => {
  info = harnessInfo<GitSshInfo>('git-ssh');
  const key = generateDeployKey();
  publicKey = key.publicKey;
  auth = { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: info.knownHosts };
});
afterAll(() => revokeKey(info, publicKey));

test('an empty repository: no head, an empty tree, then a root commit', async () => {
  const { url, dir } = repo('empty');
  expect(await remoteHead(url, auth, 'main')).toBeNull();
  expect(await readTree(url, auth, 'main', 'clusters')).toEqual({ commit: null, entries: [], filtered: true });
  expect(await readBlobs(url, auth, 'main', ['a'])).toEqual({ commit: null, files: { a: null } });

  const r = await commitFiles(url, auth, {
    branch: 'main',
    files: { 'clusters/prod/flux-system/gotk-sync.yaml': 'sync\n' },
    message: 'Add Flux sync manifests',
    author,
  });
  expect(r).toEqual({ commit: head(dir), changed: true, attempts: 1 });
  expect(parentsOf(dir, r.commit!)).toEqual([]);
  expect(commitCount(dir)).toBe(1);
  expect(serverGit(dir, ['log', '-1', '--format=%an <%ae>|%cn|%s'])).toBe(
    'Flux Bootstrap <flux@example.test>|Flux Bootstrap|Add Flux sync manifests',
  );
});

test('one commit per change, none when the tree would not change', async () => {
  const { url, dir } = repo('changes');
  const files = { 'fs/gotk-components.yaml': 'components\n', 'fs/gotk-sync.yaml': 'sync\n', 'fs/kustomization.yaml': 'k\n' };
  const first = await commitFiles(url, auth, { branch: 'main', files, message: 'first', author });
  expect(commitCount(dir)).toBe(1);
  expect(filesAt(dir, 'main')).toEqual(Object.keys(files).sort());

  // Re-applying the same files (in any order, or a subset) makes no commit and no push.
  const again = await commitFiles(url, auth, {
    branch: 'main',
    files: { 'fs/gotk-sync.yaml': 'sync\n', 'fs/gotk-components.yaml': 'components\n' },
    message: 'again',
    author,
  });
  expect(again).toEqual({ commit: first.commit, changed: false, attempts: 0 });
  expect(await commitFiles(url, auth, { branch: 'main', files: {}, deletions: ['nope/x.yaml'], message: 'noop', author })).toMatchObject({
    changed: false,
  });
  expect(commitCount(dir)).toBe(1);

  // One change: exactly one commit on top of the previous head, touching only that file.
  const second = await commitFiles(url, auth, { branch: 'main', files: { 'fs/gotk-sync.yaml': 'sync v2\n' }, message: 'second', author });
  expect(second.changed).toBe(true);
  expect(parentsOf(dir, second.commit!)).toEqual([first.commit]);
  expect(serverGit(dir, ['diff', '--name-only', first.commit!, second.commit!])).toBe('fs/gotk-sync.yaml');
  expect(fileAt(dir, 'main', 'fs/gotk-sync.yaml')).toBe('sync v2');

  // Writes and deletions land together in one commit; a directory deletion removes its files.
  const third = await commitFiles(url, auth, {
    branch: 'main',
    files: { 'other/new.yaml': 'new\n' },
    deletions: ['fs'],
    message: 'third',
    author,
  });
  expect(parentsOf(dir, third.commit!)).toEqual([second.commit]);
  expect(filesAt(dir, 'main')).toEqual(['other/new.yaml']);
  expect(commitCount(dir)).toBe(3);
});

test('a missing branch starts as an orphan (like flux bootstrap), or from createFrom', async () => {
  const { url, dir } = repo('branches');
  const base = await commitFiles(url, auth, { branch: 'main', files: { 'README.md': 'hi\n' }, message: 'base', author });

  const orphan = await commitFiles(url, auth, { branch: 'flux/orphan', files: { 'c/sync.yaml': 's\n' }, message: 'orphan', author });
  expect(head(dir, 'flux/orphan')).toBe(orphan.commit);
  expect(parentsOf(dir, orphan.commit!)).toEqual([]);
  expect(filesAt(dir, 'flux/orphan')).toEqual(['c/sync.yaml']);

  const fromMain = await commitFiles(url, auth, {
    branch: 'flux/from-main',
    createFrom: 'main',
    files: { 'c/sync.yaml': 's\n' },
    message: 'from main',
    author,
  });
  expect(parentsOf(dir, fromMain.commit!)).toEqual([base.commit]);
  expect(filesAt(dir, 'flux/from-main')).toEqual(['README.md', 'c/sync.yaml']);

  // Same content as the starting point: the branch is created at that commit, no new commit.
  const same = await commitFiles(url, auth, {
    branch: 'flux/same',
    createFrom: 'main',
    files: { 'README.md': 'hi\n' },
    message: 'same',
    author,
  });
  expect(same).toMatchObject({ commit: base.commit, changed: true });
  expect(head(dir, 'flux/same')).toBe(base.commit);
  expect(head(dir, 'main')).toBe(base.commit);
});

test('readTree lists blob ids under a path, blob-less when the server allows filters', async () => {
  const files: Record<string, string> = {
    'clusters/a/x.yaml': 'x\n',
    'clusters/a/sub/y.yaml': 'y\n',
    'clusters/ab/z.yaml': 'z\n',
    'big.bin': 'b'.repeat(200_000),
  };
  for (const filtered of [true, false]) {
    const { url, dir } = repo(`tree-${filtered}`);
    if (filtered) allowFilter(dir);
    const c = await commitFiles(url, auth, { branch: 'main', files, message: 'tree', author });
    const t = await readTree(url, auth, 'main', 'clusters/a');
    expect(t.commit).toBe(c.commit);
    expect(t.filtered).toBe(filtered);
    // 'clusters/ab' shares the prefix but is not under 'clusters/a'
    expect(t.entries).toEqual([
      { path: 'clusters/a/sub/y.yaml', mode: '100644', type: 'blob', oid: blobId('y\n') },
      { path: 'clusters/a/x.yaml', mode: '100644', type: 'blob', oid: blobId('x\n') },
    ]);
    expect((await readTree(url, auth, c.commit!, '')).entries.map((e) => e.path)).toEqual(Object.keys(files).sort());
    const blobs = await readBlobs(url, auth, c.commit!, ['clusters/a/x.yaml', 'clusters/a/missing.yaml', 'big.bin']);
    expect(blobs).toEqual({
      commit: c.commit,
      files: { 'clusters/a/x.yaml': 'x\n', 'clusters/a/missing.yaml': null, 'big.bin': files['big.bin'] },
    });
  }
});

test('timing: the ls-remote no-change check vs a no-change commitFiles vs a commit', async () => {
  const { url } = repo('timing');
  await commitFiles(url, auth, { branch: 'main', files: { 'f/a.yaml': 'a\n' }, message: 'seed', author });
  const median = async (fn: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
    return Math.round(ms.sort((a, b) => a - b)[2]);
  };
  let n = 0;
  const lsRemote = await median(() => remoteHead(url, auth, 'main'));
  const tree = await median(() => readTree(url, auth, 'main', 'f'));
  const unchanged = await median(() => commitFiles(url, auth, { branch: 'main', files: { 'f/a.yaml': 'a\n' }, message: 'noop', author }));
  const commit = await median(() =>
    commitFiles(url, auth, { branch: 'main', files: { 'f/a.yaml': `a${n++}\n` }, message: 'change', author }),
  );
  // Printed, not asserted: on a shared 2-core machine the absolute numbers are noise.
  console.log(
    `git over ssh, median of 5 (ms): remoteHead ${lsRemote}, readTree ${tree}, commitFiles unchanged ${unchanged}, commitFiles commit ${commit}`,
  );
  expect(Math.min(lsRemote, tree, unchanged, commit)).toBeGreaterThan(0);
});
