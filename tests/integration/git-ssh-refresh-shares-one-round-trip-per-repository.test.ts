// harness: git-ssh
// A stack with many clusters in one repository refreshes them all in one provider process.
// They share what they observe: however many ask at once, the server sees one ls-remote, one
// blob-less tree fetch when the branch moved, and nothing again until a commit moves it.
// Counted on the server, from the harness sshd's per-session access log.
import { randomBytes } from 'node:crypto';
import { clearObservations, commitFiles, sharedRemoteHead, sharedTree, type GitAuth } from '../../provider/git';
import { generateDeployKey } from '../../provider/keys';
import { accessLog, createBareRepo, enableAccessLog, grantKey, revokeKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { harnessInfo } from '../harness/state';
import { allowFilter, head } from './git/bare-repo';

test('fifty concurrent observers of one branch cost one ls-remote and one tree fetch; a commit makes the next one ask again', async () => {
  const info = harnessInfo<GitSshInfo>('git-ssh');
  enableAccessLog(info);
  const name = `git-shared-${randomBytes(4).toString('hex')}/fleet`;
  const dir = createBareRepo(info, name);
  allowFilter(dir);
  const key = generateDeployKey();
  grantKey(info, key.publicKey, name, 'rw');
  const auth: GitAuth = { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: info.knownHosts };
  const url = urlFor(info, name);
  const author = { name: 'bench', email: 'bench@example.test' };
  clearObservations();
  try {
    await commitFiles(url, auth, { branch: 'main', files: { 'clusters/a/flux-system/gotk-sync.yaml': 'a\n' }, message: 'a', author });
    const before = accessLog(info, name).length;

    const heads = await Promise.all(Array.from({ length: 50 }, () => sharedRemoteHead(url, auth, 'main')));
    const trees = await Promise.all(Array.from({ length: 50 }, () => sharedTree(url, auth, 'main')));
    expect(new Set(heads)).toEqual(new Set([head(dir)]));
    expect(trees.every((t) => t.commit === head(dir) && t.entries.some((e) => e.path === 'clusters/a/flux-system/gotk-sync.yaml'))).toBe(
      true,
    );
    expect(
      accessLog(info, name)
        .slice(before)
        .map((s) => s.verb),
    ).toEqual(['upload-pack', 'upload-pack']);

    // another key (another credential) does not get the first one's answer
    const other = generateDeployKey();
    grantKey(info, other.publicKey, name, 'ro');
    await sharedRemoteHead(url, { ...auth, privateKey: other.privateKeyPem }, 'main');
    expect(accessLog(info, name).slice(before)).toHaveLength(3);
    revokeKey(info, other.publicKey);

    // this process moved the branch: the next observation asks the server and sees the move
    const c = await commitFiles(url, auth, {
      branch: 'main',
      files: { 'clusters/b/flux-system/gotk-sync.yaml': 'b\n' },
      message: 'b',
      author,
    });
    const afterCommit = accessLog(info, name).length;
    expect(await sharedRemoteHead(url, auth, 'main')).toBe(c.commit);
    expect(
      accessLog(info, name)
        .slice(afterCommit)
        .map((s) => s.verb),
    ).toEqual(['upload-pack']);
  } finally {
    revokeKey(info, key.publicKey);
    clearObservations();
  }
});

test('writers in one process take turns on a branch: twenty commits, twenty pushes, none rejected', async () => {
  const info = harnessInfo<GitSshInfo>('git-ssh');
  enableAccessLog(info);
  const name = `git-turns-${randomBytes(4).toString('hex')}/fleet`;
  createBareRepo(info, name);
  const key = generateDeployKey();
  grantKey(info, key.publicKey, name, 'rw');
  const auth: GitAuth = { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: info.knownHosts };
  const url = urlFor(info, name);
  try {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        commitFiles(url, auth, {
          branch: 'main',
          files: { [`clusters/c${i}/flux-system/gotk-sync.yaml`]: `c${i}\n` },
          message: `c${i}`,
          author: { name: 'w', email: 'w@example.test' },
        }),
      ),
    );
    expect(results.map((r) => r.attempts)).toEqual(Array(20).fill(1));
    expect(accessLog(info, name).filter((s) => s.verb === 'receive-pack')).toHaveLength(20);
  } finally {
    revokeKey(info, key.publicKey);
  }
});
