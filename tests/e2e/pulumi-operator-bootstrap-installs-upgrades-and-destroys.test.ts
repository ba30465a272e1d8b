// harness: kube-audit, git-ssh, pulumi, flux-operator
// examples/pulumi-operator (Bootstrap flavor "operator", dynamic resources) against the real Flux
// Operator v0.59.0 and the real source- and kustomize-controller: a first install commits the
// FluxInstance manifest and ends with the FluxInstance Ready and its sync at that commit; a
// no-change preview costs no git session and no API request; a version bump previews the
// release the new range resolves to and upgrades while a team's workload keeps reconciling (its
// Kustomization never fails or goes missing, and reaches the new commit);
// destroy lets the operator uninstall Flux and keeps the workload.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measure } from '../bench/observe';
import { enableAccessLog, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { harnessInfo } from '../harness/state';
import { gitRepositoryPath, kustomizationPath } from '../harness/flux-status';
import { CLUSTER_PATH, OperatorFlow, ReadyWatch, until, WORKLOAD } from './operator/operator-flow';

const services = {
  kube: harnessInfo<KubeInfo>('kube'),
  gitSsh: harnessInfo<GitSshInfo>('git-ssh'),
  pulumi: harnessInfo<PulumiInfo>('pulumi'),
};
let flow: OperatorFlow;
let tmp: string;
let commit = '';
const REPO = `operator/r${process.pid}`;
const MANIFEST = `${CLUSTER_PATH}/flux-system/flux-instance.yaml`;
const CONFIG_MAP = `payments-${process.pid}`;
const INSTANCE = '/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxinstances/flux';

beforeAll(async () => {
  enableAccessLog(services.gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-e2e-'));
  flow = await OperatorFlow.prepare(services, { workDir: tmp, repo: REPO, stackName: 'operator', config: { version: '2.9.3' } });
}, 300_000);

afterAll(async () => {
  await flow?.destroy().catch(() => undefined);
  await flow?.removeStack();
  await flow?.rest.delete(`/api/v1/namespaces/default/configmaps/${CONFIG_MAP}`).catch(() => undefined);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('a first install commits flux-instance.yaml once and ends with the FluxInstance Ready at that commit', async () => {
  const { cost, value } = await measure(services, () => flow.up());
  process.stderr.write(
    `first install: ${Math.round(cost.ms)} ms, ${cost.gitSessions} git sessions, ${cost.apiRequests} API requests (${cost.apiWrites} writes)\n`,
  );
  commit = String(value.commit);
  expect(commit).toBe(flow.head());
  expect(cost.pushes).toBe(1);
  expect(value.version).toBe('v2.9.3');
  expect(value.resolvedVersion).toBe('v2.9.3');
  expect(flow.tree(commit)).toEqual([MANIFEST]);
  expect(flow.show(MANIFEST)).toContain('kind: FluxInstance');
  expect(await flow.types()).toEqual(['DeployKey', 'FluxInstance', 'InstanceManifests', 'OperatorInstall', 'Repository']);
  const fi = await flow.rest.get(INSTANCE);
  expect(fi.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
  expect(fi.status.lastAppliedRevision).toMatch(/^v2\.9\.3@sha256:/);
  const source = await flow.rest.get(gitRepositoryPath('flux-system'));
  expect(source.status.artifact.revision).toBe(`refs/heads/main@sha1:${commit}`);
  // the cluster manages its own Flux from Git: the Kustomization applied the manifest too
  const kustomization = await flow.rest.get(kustomizationPath('flux-system'));
  expect(kustomization.status.lastAppliedRevision).toBe(`refs/heads/main@sha1:${commit}`);
  expect(fi.metadata.labels['kustomize.toolkit.fluxcd.io/name']).toBe('flux-system');
}, 600_000);

test('a no-change preview costs no git session and no API request', async () => {
  const { cost, value } = await measure(services, () => flow.preview());
  process.stderr.write(`no-change preview: ${Math.round(cost.ms)} ms\n`);
  expect(value.changeSummary).toEqual({ same: 7 });
  expect({ gitSessions: cost.gitSessions, apiRequests: cost.apiRequests }).toEqual({ gitSessions: 0, apiRequests: 0 });
}, 300_000);

test('a team workload committed beside Flux is reconciled by the operator-managed Flux', async () => {
  flow.commitWorkload(CONFIG_MAP);
  await flow.rest.mergePatch(gitRepositoryPath('flux-system'), {
    metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': `${Date.now()}` } },
  });
  await until('the workload ConfigMap', () => flow.rest.get(`/api/v1/namespaces/default/configmaps/${CONFIG_MAP}`));
  await until('the workload Kustomization Ready', async () => {
    const k = await flow.rest.get(kustomizationPath('flux-system', WORKLOAD));
    return k?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
  });
}, 300_000);

test('a version bump previews the release the range resolves to, and up upgrades Flux while the workload stays Ready', async () => {
  await flow.config({ version: '2.9.x' });
  const preview = await flow.preview(true);
  expect(preview.changeSummary).toMatchObject({ update: 2 });
  expect(preview.stdout).toMatch(/resolvedVersion\s*:\s*"v2\.9\.3"\s*=>\s*"v2\.9\.5"/);
  expect(preview.stdout).toContain('Flux v2.9.3 -> v2.9.5 (2.9.x)');
  const watch = new ReadyWatch(flow.rest, kustomizationPath('flux-system', WORKLOAD));
  try {
    const out = await flow.up();
    expect(out.version).toBe('v2.9.5');
    expect(out.resolvedVersion).toBe('v2.9.5');
  } finally {
    await watch.stop();
  }
  expect(watch.samples).toBeGreaterThan(4);
  // never failed nor missing; Ready=Unknown only while applying a new revision, as on any commit
  expect(watch.failed).toEqual([]);
  process.stderr.write(
    `workload during the bump: ${watch.samples} samples, ${watch.progressing.length} while reconciling, Ready at ${watch.revisions.join(' then ')}\n`,
  );
  expect(watch.revisions[watch.revisions.length - 1]).toBe(`refs/heads/main@sha1:${flow.head()}`);
  const sc = await flow.rest.get('/apis/apps/v1/namespaces/flux-system/deployments/source-controller');
  expect(sc.metadata.labels['app.kubernetes.io/version']).toBe('v2.9.5');
}, 600_000);

test('destroy lets the operator uninstall Flux, removes the manifest in one commit and keeps the workload', async () => {
  await flow.destroy();
  const gone = async (p: string) => (await flow.rest.request('GET', p)).status === 404;
  expect(await gone(INSTANCE)).toBe(true);
  expect(await gone('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/fluxinstances.fluxcd.controlplane.io')).toBe(true);
  expect(await gone('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/kustomizations.kustomize.toolkit.fluxcd.io')).toBe(true);
  await until('the flux-system namespace gone', () => gone('/api/v1/namespaces/flux-system'));
  expect(await flow.rest.get(`/api/v1/namespaces/default/configmaps/${CONFIG_MAP}`)).toBeTruthy();
  expect(flow.tree()).toEqual([`${CLUSTER_PATH}/${WORKLOAD}.yaml`, 'apps/workload.yaml'].sort());
}, 600_000);
