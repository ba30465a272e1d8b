// harness: kube, git-ssh, flux-controllers, pulumi
// examples/pulumi-git-fleet with its waits on and the real Flux controllers: ten clusters commit
// to one branch at once, and each waits until Flux reconciled its commit. Flux reports the
// branch head, which is the other clusters' later commits: each wait must accept a head that
// contains its own commit. Then a workload commit on top and a key rotation of every cluster
// (updates that touch only the clusters) finish without waiting for the timeout.
//
// The closest honest version of ten clusters this harness offers: one API server, one Flux
// namespace per cluster (`namespacePerCluster`), and one source-controller and
// kustomize-controller reconciling all ten (they watch all namespaces), as ten clusters'
// controllers would each reconcile one. The CRDs are shared, so the ten Kustomizations relabel
// them in turn; that does not affect readiness.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distributionDir } from '../harness/flux-reference';
import { fluxStatus } from '../harness/flux-status';
import { keyCommand } from '../harness/git-ssh-key-command';
import { createBareRepo, generateKeyPair, grantKey, listGrants, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import type { PulumiInfo } from '../harness/pulumi';
import { copyExample, programStack, type ProgramStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';
import { head, serverGit } from '../integration/git/bare-repo';

const CLUSTERS = Array.from({ length: 10 }, (_, i) => `w${String(i + 1).padStart(2, '0')}`);

let gitSsh: GitSshInfo;
let rest: KubeRest;
let program: ProgramStack;
let tmp: string;
let output = '';
const repo = `fleet/waits-${process.pid}`;
const onOutput = (s: string) => {
  output += s;
};

beforeAll(async () => {
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  const kube = harnessInfo<KubeInfo>('kube');
  rest = new KubeRest(kube);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-waits-'));
  createBareRepo(gitSsh, repo);
  const admin = generateKeyPair(tmp, 'fleet-admin', 'ed25519');
  grantKey(gitSsh, admin.publicKey, repo, 'rw');
  program = await programStack(
    harnessInfo<PulumiInfo>('pulumi'),
    copyExample('pulumi-git-fleet', path.join(tmp, 'program')),
    `fleet-waits-${process.pid}`,
    { PULUMI_NODEJS_TRANSPILE_ONLY: 'true' },
  );
  const kubeconfig = fs.readFileSync(kube.kubeconfig, 'utf8');
  await program.stack.setAllConfig({
    repositoryUrl: { value: urlFor(gitSsh, repo) },
    knownHosts: { value: gitSsh.knownHosts },
    pushPrivateKey: { value: admin.privateKey, secret: true },
    version: { value: 'v2.9.3' },
    distribution: { value: distributionDir('v2.9.3') },
    addKeyCommand: { value: JSON.stringify(keyCommand('add', gitSsh.stateDir, repo)) },
    removeKeyCommand: { value: JSON.stringify(keyCommand('remove', gitSsh.stateDir, repo)) },
    clusters: { value: JSON.stringify(CLUSTERS) },
    namespacePerCluster: { value: 'true' },
    waitDeployments: { value: 'false' },
    ...Object.fromEntries(CLUSTERS.map((c) => [`kubeconfig-${c}`, { value: kubeconfig, secret: true }])),
  });
});

afterAll(async () => {
  await program?.stack.destroy({ onOutput, color: 'never' }).catch(() => undefined);
  await program?.stack.workspace.removeStack(program.stack.name, { force: true }).catch(() => undefined);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('ten clusters committing at once all wait until Flux reconciled a head containing their commit; a workload commit and a key rotation of every cluster then finish', async () => {
  let t = Date.now();
  const first = await program.stack.up({ onOutput, color: 'never' });
  process.stderr.write(`fleet of ${CLUSTERS.length}, first up with waits: ${Date.now() - t} ms\n`);
  expect(first.summary.result).toBe('succeeded');
  const commits = Object.fromEntries(Object.entries(first.outputs.commits.value as Record<string, string>));
  expect(new Set(Object.values(commits)).size).toBe(CLUSTERS.length);
  for (const c of CLUSTERS) {
    // each Flux is Ready at a commit that contains this cluster's commit
    const s = await fluxStatus(rest, `flux-${c}`);
    const at = s.kustomization.revision!.replace(/^main@sha1:/, '');
    expect(serverGit(repoDir(gitSsh, repo), ['merge-base', '--is-ancestor', commits[c], at]).trim()).toBe('');
  }
  // most waits were satisfied by a later cluster's commit, proven by ancestry
  expect(output).toMatch(/contains main@sha1:[0-9a-f]{40} \(committed on top of it\)/);

  // someone commits a workload on top, then every cluster's key is rotated
  const tree = serverGit(repoDir(gitSsh, repo), ['rev-parse', 'main^{tree}']);
  const workload = serverGit(repoDir(gitSsh, repo), [
    '-c',
    'user.name=app',
    '-c',
    'user.email=app@example.test',
    'commit-tree',
    tree,
    '-p',
    'main',
    '-m',
    'A workload commit',
  ]);
  serverGit(repoDir(gitSsh, repo), ['update-ref', 'refs/heads/main', workload]);
  const keysBefore = listGrants(gitSsh)
    .filter((g) => g.repo === repo && g.access === 'ro')
    .map((g) => g.publicKey)
    .sort();
  await program.stack.setConfig('keyRotation', { value: 'second' });
  t = Date.now();
  const rotated = await program.stack.up({ onOutput, color: 'never' });
  process.stderr.write(`fleet of ${CLUSTERS.length}, key rotation after a workload commit: ${Date.now() - t} ms\n`);
  expect(rotated.summary.result).toBe('succeeded');
  expect(head(repoDir(gitSsh, repo))).toBe(workload);
  const keysAfter = listGrants(gitSsh)
    .filter((g) => g.repo === repo && g.access === 'ro')
    .map((g) => g.publicKey)
    .sort();
  expect(keysAfter).toHaveLength(CLUSTERS.length);
  expect(keysAfter.filter((k) => keysBefore.includes(k))).toEqual([]);
});
