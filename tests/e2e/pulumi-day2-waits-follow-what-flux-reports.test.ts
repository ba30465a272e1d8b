// harness: kube, git-ssh, flux-controllers, pulumi
// Day 2 in a living repository, with the real Flux controllers (docs/reliability.md, issue 14):
// - the user's own kustomization.yaml: patches committed by hand hold across a version bump, and
//   a refresh after reconciliation shows no drift (the install applies them too);
// - other writers on the branch: after a workload commit, a key rotation (an update that touches
//   only the cluster) is satisfied by the newer commit Flux reports, which contains ours;
// - a deploy key never registered: preview warns, and the wait ends early with the remedy
//   instead of sitting out its timeout.
// examples/pulumi-git-ssh through the real Pulumi CLI; the harness cluster has no nodes, so
// reconciliation is awaited, not Deployment availability.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitForControllersReady, type FluxControllersInfo } from '../harness/flux-controllers';
import { distributionDir } from '../harness/flux-reference';
import { fluxStatus, waitForReconciled } from '../harness/flux-status';
import type { GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow } from '../harness/pulumi-git-ssh-flow';
import { harnessInfo } from '../harness/state';

let kube: KubeInfo;
let gitSsh: GitSshInfo;
let flux: FluxControllersInfo;
let pulumiInfo: PulumiInfo;
let rest: KubeRest;
let tmp: string;
let log = '';

beforeAll(() => {
  kube = harnessInfo<KubeInfo>('kube');
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  flux = harnessInfo<FluxControllersInfo>('flux-controllers');
  pulumiInfo = harnessInfo<PulumiInfo>('pulumi');
  rest = new KubeRest(kube);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-day2-'));
});

afterAll(() => {
  if (tmp && process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

const PATCHED_ARG = '--requeue-dependency=7s';
const USER_KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- gotk-components.yaml
- gotk-sync.yaml
patches:
- patch: |
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: source-controller
      namespace: flux-system
    spec:
      template:
        metadata:
          annotations:
            example.com/patched-by: platform-team
- patch: |
    - op: add
      path: /spec/template/spec/containers/0/args/-
      value: ${PATCHED_ARG}
  target:
    kind: Deployment
    labelSelector: app.kubernetes.io/component=kustomize-controller
`;

type Deployment = {
  metadata: { generation: number };
  spec: { template: { metadata: { annotations?: Record<string, string> }; spec: { containers: { args: string[]; image: string }[] } } };
};
const deployment = async (name: string) => (await rest.get(`/apis/apps/v1/namespaces/flux-system/deployments/${name}`)) as Deployment;

/** ControllerInstall's outputs as the state holds them (a refresh does not re-run the program). */
async function installState(flow: GitSshFlow): Promise<Record<string, unknown>> {
  const state = await flow.program.stack.exportStack();
  const r = (state.deployment.resources as { type: string; outputs?: Record<string, unknown> }[]).find((x) =>
    x.type.endsWith(':ControllerInstall'),
  );
  return r?.outputs ?? {};
}

describe('examples/pulumi-git-ssh in a repository others write to, with the real Flux controllers', () => {
  let flow: GitSshFlow;

  beforeAll(async () => {
    const name = uniqueName('day2');
    flow = await GitSshFlow.prepare(
      { kube, gitSsh, flux, pulumi: pulumiInfo },
      {
        workDir: path.join(tmp, name),
        repo: `fleet/${name}`,
        stackName: name,
        pulumiOutput: (s) => {
          log += s;
        },
      },
    );
    await flow.up('v2.8.5');
  }, 900_000);

  afterAll(async () => {
    await flow?.destroy().catch(() => undefined);
    await flow?.removeStack();
  });

  test('patches committed to kustomization.yaml hold across a version bump, and a refresh after reconciliation shows no drift', async () => {
    const user = await flow.commitToClusterPath('flux-system/kustomization.yaml', USER_KUSTOMIZATION, 'Patch the Flux controllers');
    expect((await deployment('kustomize-controller')).spec.template.spec.containers[0].args).toContain(PATCHED_ARG);

    const bump = await flow.up('v2.9.3');
    expect(bump.status.kustomization.revision).toBe(`main@sha1:${bump.commit}`);
    // the program does not manage kustomization.yaml: the user's file is kept as committed
    expect(flow.show(bump.commit, `${flow.clusterPath}/flux-system/kustomization.yaml`)).toBe(USER_KUSTOMIZATION);
    expect(flow.show(user.commit, `${flow.clusterPath}/flux-system/kustomization.yaml`)).toBe(USER_KUSTOMIZATION);
    const source = await deployment('source-controller');
    expect(source.spec.template.spec.containers[0].image).toBe('ghcr.io/fluxcd/source-controller:v1.9.3');
    expect(source.spec.template.metadata.annotations?.['example.com/patched-by']).toBe('platform-team');
    const kustomize = await deployment('kustomize-controller');
    expect(kustomize.spec.template.spec.containers[0].args).toContain(PATCHED_ARG);

    // kustomize-controller re-applied the bump commit: nothing of ours was undone (the local
    // controllers restart when their pod template changes: let them settle first)
    await waitForControllersReady(flux);
    await waitForReconciled(rest, { namespace: 'flux-system', revision: `main@sha1:${bump.commit}`, timeoutMs: 120_000 });
    await flow.program.stack.refresh({
      onOutput: (s) => {
        log += s;
      },
      color: 'never',
    });
    expect((await installState(flow)).drift ?? []).toEqual([]);
    expect((await deployment('source-controller')).metadata.generation).toBe(source.metadata.generation);
  });

  test('after a workload commit on top, a key rotation is satisfied by the newer commit Flux reports, which contains ours', async () => {
    const before = flow.head()!;
    const workload = await flow.commitToClusterPath(
      'workload.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: day2-workload\n  namespace: default\ndata:\n  owner: app-team\n',
      'Add a workload',
    );
    expect(workload.commit).not.toBe(before);
    await flow.program.stack.setConfig('keyRotation', { value: 'rotated-once' });
    const from = log.length;
    const t0 = Date.now();
    const rotated = await flow.up('v2.9.3');
    process.stderr.write(`key rotation with a newer commit on the branch: up took ${Date.now() - t0} ms\n`);
    // no commit of ours: Flux is Ready at the workload's commit, which contains ours
    expect(rotated.commit).toBe(before);
    expect(flow.head()).toBe(workload.commit);
    expect((await fluxStatus(rest, 'flux-system')).kustomization.revision).toBe(`main@sha1:${workload.commit}`);
    expect(log.slice(from)).toContain(`main@sha1:${workload.commit} contains main@sha1:${before}`);
    const secret = await rest.get('/api/v1/namespaces/flux-system/secrets/flux-system');
    expect(Buffer.from(secret.data['identity.pub'], 'base64').toString('utf8').trim().split(' ')[1]).toBe(
      rotated.publicKey.trim().split(' ')[1],
    );
    await rest.delete('/api/v1/namespaces/default/configmaps/day2-workload').catch(() => undefined);
  });
});

describe('a plain-git bootstrap whose deploy key is never registered', () => {
  let flow: GitSshFlow;

  afterAll(async () => {
    await flow?.destroy().catch(() => undefined);
    await flow?.removeStack();
  });

  test('preview warns, and up fails early saying the key is not registered and how to fix it', async () => {
    const name = uniqueName('nokey');
    flow = await GitSshFlow.prepare(
      { kube, gitSsh, flux, pulumi: pulumiInfo },
      {
        workDir: path.join(tmp, name),
        repo: `fleet/${name}`,
        stackName: name,
        pulumiOutput: (s) => {
          log += s;
        },
      },
    );
    await flow.program.stack.removeConfig('addKeyCommand');
    // the preview renders the files (the sync URL is known before the repository exists), so it
    // needs the release's manifests, as up does
    await flow.program.stack.setAllConfig({ version: { value: 'v2.9.3' }, distribution: { value: distributionDir('v2.9.3') } });
    const preview = await flow.program.stack.preview({ color: 'never' });
    expect(preview.stdout).toContain('plain git without addKeyCommand: the deploy key will not be registered');

    const t0 = Date.now();
    const failure = await flow.up('v2.9.3').then(
      () => null,
      (e: Error) => e,
    );
    const elapsed = Date.now() - t0;
    process.stderr.write(`unregistered key: up failed after ${elapsed} ms\n`);
    expect(failure?.message).toMatch(
      /GitRepository flux-system\/flux-system: the deploy key is not registered on the Git server .*unable to authenticate.*Fix: give addKeyCommand, or register the publicKey output/s,
    );
    expect(failure?.message).not.toMatch(/timed out after/);
  });
});
