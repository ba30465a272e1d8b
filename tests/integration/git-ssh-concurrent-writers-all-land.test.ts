// harness: git-ssh
// Many writers, one repository, one branch (terraform-provider-flux #662): 20 concurrent
// commitFiles to different paths must all land, each as exactly one commit, none lost.
import { randomBytes } from 'node:crypto';
import { commitFiles, type GitAuth } from '../../provider/git';
import { generateDeployKey } from '../../provider/keys';
import { createBareRepo, grantKey, revokeKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { harnessInfo } from '../harness/state';
import { commitCount, filesAt, serverGit } from './git/bare-repo';

test('20 concurrent writers to different paths all land', async () => {
  const info = harnessInfo<GitSshInfo>('git-ssh');
  const name = `git-concurrent-${randomBytes(4).toString('hex')}/fleet`;
  const dir = createBareRepo(info, name);
  const key = generateDeployKey();
  grantKey(info, key.publicKey, name, 'rw');
  const auth: GitAuth = { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: info.knownHosts };
  const url = urlFor(info, name);
  try {
    const n = 20;
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => commitFiles(url, auth, {
      branch: 'main',
      files: { [`clusters/c${i}/flux-system/gotk-sync.yaml`]: `cluster: c${i}\n` },
      message: `Add Flux sync manifests for c${i}`,
      author: { name: `writer ${i}`, email: `w${i}@example.test` },
    })));
    const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    const done = results.map((r) => (r as PromiseFulfilledResult<{ commit: string; attempts: number }>).value);
    console.log(`${n} concurrent writers landed in ${Date.now() - started} ms; attempts: ${done.map((d) => d.attempts).join(' ')}`);

    expect(commitCount(dir)).toBe(n);
    expect(filesAt(dir, 'main')).toHaveLength(n);
    // every returned commit is in the branch's history, and history is a straight line
    const history = serverGit(dir, ['rev-list', 'main']).split('\n');
    expect(new Set(history)).toEqual(new Set(done.map((d) => d.commit)));
    expect(serverGit(dir, ['rev-list', '--merges', '--count', 'main'])).toBe('0');
  } finally {
    revokeKey(info, key.publicKey);
  }
});
