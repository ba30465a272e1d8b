// A fleet in one stack: examples/pulumi-git-fleet with N clusters (a directory and a deploy key
// each) in one repository on the harness sshd. Git side only: N cluster installs would need N
// API servers (in one API server the clusters' CRDs and instance labels collide), and the
// cluster side is measured per cluster by single-cluster.ts.
import * as path from 'node:path';
import { keyCommand } from '../harness/git-ssh-key-command';
import { createBareRepo, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { distributionDir } from '../harness/flux-reference';
import type { PulumiInfo } from '../harness/pulumi';
import { copyExample, programStack } from '../harness/pulumi-program';
import { measure, kib } from './observe';
import { withPeakMemory } from './peak-memory';
import type { Row } from './stats';
import { commitCount } from '../integration/git/bare-repo';

export async function fleet(
  services: { gitSsh: GitSshInfo; pulumi: PulumiInfo },
  workDir: string,
  n: number,
  log: (m: string) => void,
): Promise<Row[]> {
  const { gitSsh } = services;
  const repo = `bench/fleet-${n}`;
  const dir = path.join(workDir, `fleet-${n}`);
  createBareRepo(gitSsh, repo);
  const admin = generateKeyPair(dir, 'push-key', 'ed25519');
  grantKey(gitSsh, admin.publicKey, repo, 'rw');
  const programDir = copyExample('pulumi-git-fleet', path.join(dir, 'program'));
  const program = await programStack(services.pulumi, programDir, `bench-fleet-${n}`);
  const { stack } = program;
  await stack.setAllConfig({
    repositoryUrl: { value: urlFor(gitSsh, repo) },
    knownHosts: { value: gitSsh.knownHosts },
    pushPrivateKey: { value: admin.privateKey, secret: true },
    version: { value: 'v2.9.3' },
    distribution: { value: distributionDir('v2.9.3') },
    addKeyCommand: { value: JSON.stringify(keyCommand('add', gitSsh.stateDir, repo)) },
    removeKeyCommand: { value: JSON.stringify(keyCommand('remove', gitSsh.stateDir, repo)) },
    clusters: { value: JSON.stringify(Array.from({ length: n }, (_, i) => `c${String(i + 1).padStart(2, '0')}`)) },
  });
  const S = `fleet N=${n}`;
  log(`${S}: up`);
  const { value: up, peakMiB: upPeak } = await withPeakMemory(programDir, () => measure(services, () => stack.up({ color: 'never' })));
  const commits = commitCount(repoDir(gitSsh, repo));
  if (commits !== n) throw new Error(`${S}: ${commits} commits for ${n} clusters`);
  log(`${S}: no-change preview`);
  const preview = await measure(services, () => stack.preview({ color: 'never' }));
  log(`${S}: no-change preview --refresh`);
  const { value: refresh, peakMiB: refreshPeak } = await withPeakMemory(programDir, () =>
    measure(services, () => stack.preview({ color: 'never', refresh: true })),
  );
  const perCluster = (ms: number) => `${(ms / 1000).toFixed(2)} s (${(ms / n / 1000).toFixed(3)} s per cluster)`;
  return [
    { section: S, measure: 'up: wall', ours: perCluster(up.cost.ms), headline: n >= 100 },
    { section: S, measure: 'up: commits, pushes (rejected)', ours: `${commits}, ${up.cost.pushes} (${up.cost.pushes - commits})` },
    { section: S, measure: 'no-change preview: wall', ours: perCluster(preview.cost.ms) },
    { section: S, measure: 'no-change preview: git sessions', ours: String(preview.cost.gitSessions) },
    { section: S, measure: 'no-change preview --refresh: wall', ours: perCluster(refresh.cost.ms), headline: n >= 100 },
    {
      section: S,
      measure: 'no-change preview --refresh: git sessions, bytes',
      ours: `${refresh.cost.gitSessions}, ${kib(refresh.cost.gitBytes)}`,
    },
    {
      section: S,
      measure: 'peak RSS of the provider process: up; preview --refresh',
      ours: `${upPeak.toFixed(0)} MiB; ${refreshPeak.toFixed(0)} MiB`,
    },
  ];
}
