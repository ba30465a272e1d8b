// harness: git-ssh
// Flux reports the branch head; after others commit on top of ours, that is a newer commit.
// Whether it contains ours is read from commit objects only (a treeless, shallow fetch), shared
// by every waiter of the process: ten clusters of a fleet asking at once cost one session.
// Counted on the server, from the harness sshd's per-session access log.
import { randomBytes } from 'node:crypto';
import { clearObservations, commitFiles, sharedContains, type GitAuth } from '../../provider/git';
import { generateDeployKey } from '../../provider/keys';
import { accessLog, createBareRepo, enableAccessLog, grantKey, revokeKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { harnessInfo } from '../harness/state';
import { allowFilter, serverGit } from './git/bare-repo';

test('ten waiters learn in one treeless session that the head contains each of their commits; a commit off the branch is not contained; a long history is deepened', async () => {
  const info = harnessInfo<GitSshInfo>('git-ssh');
  enableAccessLog(info);
  const name = `git-ancestry-${randomBytes(4).toString('hex')}/fleet`;
  const dir = createBareRepo(info, name);
  allowFilter(dir);
  const key = generateDeployKey();
  grantKey(info, key.publicKey, name, 'rw');
  const auth: GitAuth = { kind: 'ssh', privateKey: key.privateKeyPem, knownHosts: info.knownHosts };
  const url = urlFor(info, name);
  const author = { name: 'test', email: 'test@example.test' };
  await commitFiles(url, auth, { branch: 'main', files: { 'README.md': 'fleet\n' }, message: 'start', author });
  // other writers' commits, made on the server (fast): same tree, new commit on top of main
  const commit = (message: string) => {
    const c = serverGit(dir, ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit-tree', 'main^{tree}', '-p', 'main', '-m', message]);
    serverGit(dir, ['update-ref', 'refs/heads/main', c]);
    return c;
  };
  clearObservations();
  try {
    const ours: string[] = [];
    for (let i = 0; i < 10; i++) ours.push(commit(`clusters/c${i}/flux-system/gotk-sync.yaml`));
    const workload = commit('apps/workload.yaml');
    const before = accessLog(info, name).length;
    const answers = await Promise.all(ours.map((c) => sharedContains(url, auth, 'main', workload, c)));
    expect(answers).toEqual(Array(10).fill(true));
    expect(
      accessLog(info, name)
        .slice(before)
        .map((s) => s.verb),
    ).toEqual(['upload-pack']);

    // a commit that is not on the branch (a rewritten history) is not contained
    const tree = serverGit(dir, ['rev-parse', 'main^{tree}']);
    const stray = serverGit(dir, ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit-tree', tree, '-m', 'stray']);
    expect(await sharedContains(url, auth, 'main', workload, stray)).toBe(false);
    // an older head does not contain a newer commit
    expect(await sharedContains(url, auth, 'main', ours[0], ours[5])).toBe(false);

    // 70 commits on top: past the first window of 64, found after one deepening
    let tip = workload;
    for (let i = 0; i < 70; i++) tip = commit(`apps/many/${i}.yaml`);
    clearObservations();
    const beforeDeep = accessLog(info, name).length;
    expect(await sharedContains(url, auth, 'main', tip, ours[9])).toBe(true);
    expect(
      accessLog(info, name)
        .slice(beforeDeep)
        .map((s) => s.verb),
    ).toEqual(['upload-pack', 'upload-pack']);
  } finally {
    revokeKey(info, key.publicKey);
    clearObservations();
  }
}, 180_000);
