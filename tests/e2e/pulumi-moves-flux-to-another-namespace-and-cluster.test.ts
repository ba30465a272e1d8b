// harness: kube, git-ssh, pulumi
// Day-2 moves of examples/pulumi-git-ssh through the real Pulumi CLI:
// - a new `namespace` is one move commit (like a new `path`), and the install is replaced
//   through the safe uninstall; a namespace that existed before the install (holding a SOPS key)
//   is kept when that install goes;
// - another API server in `cluster` is a planned replacement, shown as one by preview: Flux is
//   installed on the new cluster, then uninstalled from the old one. No commit.
// No Flux controller runs here (waits are off): what is checked is git and the API servers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EngineEvent } from '@pulumi/pulumi/automation';
import { repoDir, type GitSshInfo } from '../harness/git-ssh';
import { distributionDir } from '../harness/flux-reference';
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { harnessInfo } from '../harness/state';
import { startPrivateKube, type PrivateKube } from '../integration/cluster/private-kube';
import { execFileSync } from 'node:child_process';

const suffix = `${Date.now().toString(36)}${process.pid}`.slice(-10);
const NS_A = `flux-a-${suffix}`;
const NS_B = `flux-b-${suffix}`;
const CLUSTER_PATH = 'clusters/moves';

let gitSsh: GitSshInfo;
let first: KubeRest;
let second: PrivateKube;
let secondRest: KubeRest;
let flow: GitSshFlow;
let tmp: string;
let output = '';

const git = (args: string[]) => execFileSync('git', ['--git-dir', repoDir(gitSsh, flow.repo), ...args], { encoding: 'utf8' }).trim();
const commitCount = () => Number(git(['rev-list', '--count', 'refs/heads/main']));
const tree = () => git(['ls-tree', '-r', '--name-only', 'refs/heads/main']).split('\n').filter(Boolean);
const onOutput = (s: string) => {
  output += s;
};

/** op per resource type (the last segment of the type token) seen in a preview or up */
function opsRecorder(): { onEvent: (e: EngineEvent) => void; ops: Record<string, string[]> } {
  const ops: Record<string, string[]> = {};
  return {
    ops,
    onEvent: (e) => {
      const m = e.resourcePreEvent?.metadata;
      if (!m || m.op === 'same') return;
      const type = m.type.split(':').pop() ?? m.type;
      (ops[type] ??= []).push(m.op);
    },
  };
}

async function namespaceState(rest: KubeRest, ns: string): Promise<'absent' | 'terminating' | 'present'> {
  const o = await rest.get(`/api/v1/namespaces/${ns}`);
  return !o ? 'absent' : o.metadata?.deletionTimestamp ? 'terminating' : 'present';
}

beforeAll(async () => {
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  const kube = harnessInfo<KubeInfo>('kube');
  first = new KubeRest(kube);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-moves-'));
  flow = await GitSshFlow.prepare(
    { kube, gitSsh, pulumi: harnessInfo<PulumiInfo>('pulumi') },
    {
      workDir: path.join(tmp, 'flow'),
      repo: `fleet/moves-${suffix}`,
      stackName: `moves-${suffix}`,
      clusterPath: CLUSTER_PATH,
      awaitReconciliation: false,
      pulumiOutput: onOutput,
    },
  );
  await flow.program.stack.setAllConfig({
    namespace: { value: NS_A },
    version: { value: 'v2.9.3' },
    distribution: { value: distributionDir('v2.9.3') },
    waitReconciliation: { value: 'false' },
  });
  second = await startPrivateKube('second-cluster');
  secondRest = new KubeRest(second.info);
}, 300_000);

afterAll(async () => {
  await flow?.program.stack.destroy({ onOutput }).catch(() => undefined);
  await flow?.removeStack();
  await second?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// each Pulumi operation takes minutes on a loaded 2-core machine: a timeout per test above jest's 10 min
const LONG = 20 * 60 * 1000;

test(
  'up installs in the first namespace',
  async () => {
    await flow.program.stack.up({ onOutput });
    expect(commitCount()).toBe(1);
    expect(await first.get(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS_A}/gitrepositories/${NS_A}`)).not.toBeNull();
  },
  LONG,
);

test(
  'a namespace change is one move commit; the old install goes by the safe uninstall; a namespace that existed before is kept',
  async () => {
    // the user's namespace, made before Flux moves in, holding a key Flux will decrypt with
    await first.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS_B } }, 'user');
    await first.apply(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-age', namespace: NS_B }, stringData: { 'age.agekey': 'not a real key' } },
      'user',
    );

    await flow.program.stack.setConfig('namespace', { value: NS_B });
    const preview = opsRecorder();
    await flow.program.stack.preview({ onOutput, onEvent: preview.onEvent });
    expect(preview.ops.SyncManifests).toEqual(['update']);
    expect(preview.ops.ControllerInstall).toContain('replace');

    const up = opsRecorder();
    await flow.program.stack.up({ onOutput, onEvent: up.onEvent });
    expect(up.ops.SyncManifests).toEqual(['update']);
    expect(commitCount()).toBe(2);
    expect(git(['log', '-1', '--format=%s', 'refs/heads/main'])).toBe(
      `Move Flux v2.9.3 manifests from ${CLUSTER_PATH}/${NS_A} to ${CLUSTER_PATH}/${NS_B}`,
    );
    expect(tree()).toEqual(['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'].map((f) => `${CLUSTER_PATH}/${NS_B}/${f}`));
    expect(['absent', 'terminating']).toContain(await namespaceState(first, NS_A));
    expect(await first.get(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS_B}/gitrepositories/${NS_B}`)).not.toBeNull();
    expect(await first.get(`/api/v1/namespaces/${NS_B}/secrets/sops-age`)).not.toBeNull();
  },
  LONG,
);

test(
  'another API server in cluster is a replacement: installed there first, then uninstalled from the old one; no commit',
  async () => {
    const before = commitCount();
    await flow.program.stack.setConfig('kubeconfig', { value: fs.readFileSync(second.info.kubeconfig, 'utf8'), secret: true });
    const preview = opsRecorder();
    await flow.program.stack.preview({ onOutput, onEvent: preview.onEvent });
    expect(preview.ops.ControllerInstall).toEqual(expect.arrayContaining(['create-replacement', 'replace', 'delete-replaced']));
    expect(preview.ops.SyncManifests).toBeUndefined();

    await flow.program.stack.up({ onOutput });
    expect(commitCount()).toBe(before);
    expect(await secondRest.get(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS_B}/gitrepositories/${NS_B}`)).not.toBeNull();
    expect(await secondRest.get(`/apis/apps/v1/namespaces/${NS_B}/deployments/source-controller`)).not.toBeNull();
    // the old cluster: Flux gone; the namespace was there before the install, so it stays with
    // the user's key, without the Secret the install made
    expect(await first.get(`/apis/apps/v1/namespaces/${NS_B}/deployments/source-controller`)).toBeNull();
    expect(await first.get(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS_B}/gitrepositories/${NS_B}`)).toBeNull();
    expect(await namespaceState(first, NS_B)).toBe('present');
    expect(await first.get(`/api/v1/namespaces/${NS_B}/secrets/sops-age`)).not.toBeNull();
    expect(await first.get(`/api/v1/namespaces/${NS_B}/secrets/flux-system`)).toBeNull();
    expect(output).toContain(`namespace ${NS_B} kept (it existed before the install)`);

    // destroy: the second cluster's namespace was made by the install, so it goes
    await flow.program.stack.destroy({ onOutput });
    expect(['absent', 'terminating']).toContain(await namespaceState(secondRest, NS_B));
  },
  LONG,
);
