// harness: kube, git-ssh, flux-controllers
// Two Flux instances in two namespaces of one API server, with the real source-controller and
// kustomize-controller (run by the harness for every namespace: they keep running while either
// instance's Deployments exist, as the other instance's pods would). Uninstalling one, as
// ControllerInstall's delete does, removes only what that instance made: the other stays Ready,
// unsuspended, and reconciles a new commit; a user's Kustomization in a third namespace is left
// alone; the CRDs stay, and the report says why; the removed instance's workload stays.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, type Connection } from '../../provider/cluster';
import { uninstall } from '../../provider/cluster/uninstall';
import { waitForControllersReady, type FluxControllersInfo } from '../harness/flux-controllers';
import { gitRepositoryPath, kustomizationPath, waitForReconciled } from '../harness/flux-status';
import type { GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { commitAndPush, plainGitBootstrap, removePlainBootstrap, type PlainBootstrap } from '../harness/plain-git-bootstrap';
import { harnessInfo } from '../harness/state';

let rest: KubeRest;
let conn: Connection;
let tmp: string;
const a = uniqueName('flux-a');
const b = uniqueName('flux-b');
const tenant = uniqueName('tenant');

function configMap(name: string, data: Record<string, string>): string {
  return (
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: ${name}`,
      '  namespace: default',
      'data:',
      ...Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
    ].join('\n') + '\n'
  );
}

async function reconcileNow(ns: string): Promise<void> {
  await rest.mergePatch(gitRepositoryPath(ns), {
    metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } },
  });
}

beforeAll(async () => {
  const kube = harnessInfo<KubeInfo>('kube');
  rest = new KubeRest(kube);
  conn = await connect({ kubeconfigPath: kube.kubeconfig });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'two-fluxes-'));
});

afterAll(async () => {
  await removePlainBootstrap(rest, b).catch(() => undefined);
  await rest.delete(`/api/v1/namespaces/${tenant}`).catch(() => undefined);
  for (const n of [a, b])
    for (const w of ['workload', 'second']) await rest.delete(`/api/v1/namespaces/default/configmaps/${n}-${w}`).catch(() => undefined);
  conn?.close();
  if (tmp && process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

test("uninstalling one of two Flux instances leaves the other Ready and reconciling, a user's Kustomization elsewhere untouched, and the CRDs in place", async () => {
  const gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  const boot = (ns: string, cluster: string) =>
    plainGitBootstrap({
      rest,
      gitSsh,
      workDir: path.join(tmp, ns),
      repo: `fleet/${ns}`,
      namespace: ns,
      clusterPath: `clusters/${cluster}`,
      extraFiles: { [`clusters/${cluster}/workload.yaml`]: configMap(`${ns}-workload`, { owner: ns }) },
    });
  const first: PlainBootstrap = await boot(a, 'a');
  const second: PlainBootstrap = await boot(b, 'b');
  await waitForControllersReady(harnessInfo<FluxControllersInfo>('flux-controllers'));
  for (const x of [first, second]) await reconcileNow(x.namespace);
  for (const x of [first, second]) await waitForReconciled(rest, { namespace: x.namespace, revision: x.revision, timeoutMs: 240_000 });
  expect((await rest.get(`/api/v1/namespaces/default/configmaps/${a}-workload`))?.data).toEqual({ owner: a });

  // a user's Kustomization in a namespace of its own, made outside both instances
  await rest.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: tenant } }, 'user');
  await rest.apply(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: tenant },
      spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'absent' } },
    },
    'user',
  );
  await rest.waitFor(
    'the user Kustomization has the controller finalizer',
    async () =>
      (await rest.get(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${tenant}/kustomizations/apps`))?.metadata?.finalizers?.length
        ? true
        : undefined,
    60_000,
    250,
  );

  const report = await uninstall(conn, { namespace: a });

  // only the first instance's objects were touched
  expect(report.suspended.sort()).toEqual([`GitRepository/${a}/${a}`, `Kustomization/${a}/${a}`]);
  expect(report.deleted.filter((d) => d.includes(b) || d.includes(tenant))).toEqual([]);
  expect(report.crdsKept?.reason).toContain(`Flux controllers of another instance run in ${b}`);
  expect(report.crdsKept?.reason).toContain(`Kustomization/${tenant}/apps`);
  expect(
    await rest.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/kustomizations.kustomize.toolkit.fluxcd.io'),
  ).not.toBeNull();
  await rest.waitFor(
    `namespace ${a} gone`,
    async () => ((await rest.get(`/api/v1/namespaces/${a}`)) === null ? true : undefined),
    120_000,
    500,
  );
  // what the first instance deployed stays
  expect((await rest.get(`/api/v1/namespaces/default/configmaps/${a}-workload`))?.data).toEqual({ owner: a });
  // the user's Kustomization: not suspended, finalizer kept
  const user = await rest.get(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${tenant}/kustomizations/apps`);
  expect(user?.spec?.suspend).not.toBe(true);
  expect(user?.metadata?.finalizers).toEqual(['finalizers.fluxcd.io']);

  // the second instance: not suspended, and it reconciles a new commit
  expect((await rest.get(kustomizationPath(b)))?.spec?.suspend).not.toBe(true);
  const next = await commitAndPush(
    second,
    { [`clusters/b/second.yaml`]: configMap(`${b}-second`, { after: 'uninstall' }) },
    'Add a second workload',
  );
  await reconcileNow(b);
  await waitForReconciled(rest, { namespace: b, revision: `main@sha1:${next}`, timeoutMs: 240_000 });
  expect((await rest.get(`/api/v1/namespaces/default/configmaps/${b}-second`))?.data).toEqual({ after: 'uninstall' });
});
