// harness: kube, flux-operator
// OperatorInstall and FluxInstance as the Pulumi front ends call them (check, create, read,
// update, delete), against the real Flux Operator v0.59.0 and the real source- and
// kustomize-controller that the harness runs for the Deployments the operator applies. The
// operator module is read from the Go module cache (the directory `go mod download` made).
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import { harnessInfo } from '../harness/state';
import { FLUX_OPERATOR_VERSION, operatorModuleDir } from '../harness/flux-operator-data';
import type { FluxOperatorInfo } from '../harness/flux-operator';
import * as operatorInstall from '../../provider/resources/operator-install';
import * as fluxInstance from '../../provider/resources/flux-instance';

const kube = harnessInfo<KubeInfo>('kube');
const operatorInfo = harnessInfo<FluxOperatorInfo>('flux-operator');
const rest = new KubeRest(kube);
const cluster = { kubeconfigPath: kube.kubeconfig };
const source = operatorModuleDir();
const operatorInputs = { version: FLUX_OPERATOR_VERSION, source, cluster, wait: { timeoutSeconds: 120 } };
const spec = (version: string) => ({
  distribution: { version },
  components: ['source-controller', 'kustomize-controller'],
  cluster: { networkPolicy: false },
});
const instanceInputs = (version: string) => ({
  instance: spec(version),
  operator: { version: FLUX_OPERATOR_VERSION, source },
  cluster,
  wait: { timeoutSeconds: 180 },
});

let op: Record<string, unknown> = {};
let opId = '';
let fi: Record<string, unknown> = {};
let fiId = '';

async function checked<
  T extends {
    check: (o: Record<string, unknown>, n: Record<string, unknown>) => Promise<{ inputs?: Record<string, unknown>; failures?: unknown[] }>;
  },
>(impl: T, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await impl.check(olds, news);
  expect(r.failures).toEqual([]);
  return r.inputs!;
}

test('OperatorInstall plans the operator at check and applies it, waiting for its Deployment', async () => {
  const inputs = await checked(operatorInstall, {}, operatorInputs);
  expect(inputs.plan).toBe('apply 13 objects');
  const t = Date.now();
  const r = await operatorInstall.create(inputs);
  process.stderr.write(`OperatorInstall create: ${Date.now() - t} ms\n`);
  opId = r.id;
  op = { ...inputs, ...r.outs };
  expect(op.inventory).toContain('Deployment/flux-system/flux-operator');
  expect(op.releases).toContain('v2.9.5');
  const d = (await rest.get('/apis/apps/v1/namespaces/flux-system/deployments/flux-operator')) as {
    spec: { template: { spec: { containers: { image: string }[] } } };
  };
  expect(d.spec.template.spec.containers[0].image).toBe('ghcr.io/controlplaneio-fluxcd/flux-operator:v0.59.0');
  expect(operatorInfo.version).toBe(FLUX_OPERATOR_VERSION);
}, 300_000);

test('a second check with nothing new reuses the stored hash, and diff sees no change', async () => {
  const again = await checked(operatorInstall, op, operatorInputs);
  expect(again.desiredHash).toBe(op.desiredHash);
  expect(again.plan).toBe('');
  expect((await operatorInstall.diff(opId, op, again)).changes).toBe(false);
  const read = await operatorInstall.read(opId, op);
  expect(read.props!.drift).toEqual([]);
});

test('FluxInstance names the release its range resolves to at check, and is Ready at it after create', async () => {
  const inputs = await checked(fluxInstance, {}, instanceInputs('2.9.3'));
  expect(inputs.resolvedVersion).toBe('v2.9.3');
  expect(inputs.plan).toBe('install Flux v2.9.3 (2.9.3) as FluxInstance flux-system/flux');
  const t = Date.now();
  const r = await fluxInstance.create(inputs);
  process.stderr.write(`FluxInstance create to Ready: ${Date.now() - t} ms\n`);
  fiId = r.id;
  fi = { ...inputs, ...r.outs };
  expect(fi.version).toBe('v2.9.3');
  expect(String(fi.lastAppliedRevision)).toMatch(/^v2\.9\.3@sha256:/);
  // refresh finds nothing out of line (the API server's defaults in the spec are not drift)
  expect((await fluxInstance.read(fiId, fi)).props!.drift).toEqual([]);
  const sc = (await rest.get('/apis/apps/v1/namespaces/flux-system/deployments/source-controller')) as {
    metadata: { labels: Record<string, string> };
  };
  expect(sc.metadata.labels['app.kubernetes.io/version']).toBe('v2.9.3');
}, 300_000);

test('a range that now resolves to a newer release shows it as an update, and up upgrades Flux', async () => {
  const same = await checked(fluxInstance, fi, instanceInputs('2.9.3'));
  expect((await fluxInstance.diff(fiId, fi, same)).changes).toBe(false);
  const bumped = await checked(fluxInstance, fi, instanceInputs('2.9.x'));
  expect(bumped.resolvedVersion).toBe('v2.9.5');
  expect(bumped.plan).toBe('Flux v2.9.3 -> v2.9.5 (2.9.x)');
  expect((await fluxInstance.diff(fiId, fi, bumped)).changes).toBe(true);
  const r = await fluxInstance.update(fiId, fi, bumped);
  fi = { ...bumped, ...r.outs };
  expect(fi.version).toBe('v2.9.5');
}, 300_000);

test('OperatorInstall keeps the operator while a FluxInstance relies on it', async () => {
  await operatorInstall.delete(opId, op);
  expect(await rest.get('/apis/apps/v1/namespaces/flux-system/deployments/flux-operator')).toBeTruthy();
  expect(await rest.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/fluxinstances.fluxcd.controlplane.io')).toBeTruthy();
});

test('destroying the FluxInstance lets the operator uninstall Flux; then the operator goes', async () => {
  await fluxInstance.delete(fiId, fi);
  const gone = async (path: string) => (await rest.request('GET', path)).status === 404;
  expect(await gone('/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxinstances/flux')).toBe(true);
  expect(await gone('/apis/apps/v1/namespaces/flux-system/deployments/source-controller')).toBe(true);
  await operatorInstall.delete(opId, op);
  expect(await gone('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/fluxinstances.fluxcd.controlplane.io')).toBe(true);
  expect(await gone('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/flux-operator-cluster-admin')).toBe(true);
}, 600_000);
