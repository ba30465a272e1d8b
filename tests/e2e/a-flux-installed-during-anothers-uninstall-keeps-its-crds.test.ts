// harness: kube
// Flux CRDs are cluster-wide. A second Flux instance that starts while the first is being
// uninstalled must keep them: the uninstall reads who needs the CRDs again just before it deletes
// them, and deletes each only if it is still as read then (a precondition on its
// resourceVersion), so an install in between is seen either way. The uninstall's requests are
// held at a chosen point (the connection's request function is wrapped: nothing in the product
// is made for the test) while the second instance installs.
// An end-to-end file for its own API server: the CRDs are cluster-wide, and on the integration
// layer's shared API server another file's Flux made the uninstall keep them for another reason.
import { applyObjects, connect, type Connection } from '../../provider/cluster';
import type { HttpRequest } from '../../provider/cluster/http';
import { uninstall, type UninstallReport } from '../../provider/cluster/uninstall';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { harnessInfo } from '../harness/state';
import { renderBootstrap } from '../integration/cluster/flux-fixture';

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const COMPONENTS = ['source-controller', 'kustomize-controller'];
let kube: KubeInfo;
let other: Connection;
const made: string[] = [];

beforeAll(async () => {
  kube = harnessInfo<KubeInfo>('kube');
  other = await connect({ kubeconfigPath: kube.kubeconfig });
});

// each test's instances go before the next test, which would otherwise see them as users of the CRDs
afterEach(async () => {
  for (const ns of made.splice(0)) await uninstall(other, { namespace: ns }).catch(() => undefined);
});

afterAll(() => other?.close());

/** Holds the requests `which` matches until `release` ran; the rest pass. */
function hold(conn: Connection, which: (req: HttpRequest, deletedDeployment: boolean) => boolean, release: () => Promise<void>): void {
  const request = conn.request.bind(conn);
  let deletedDeployment = false;
  let released: Promise<void> | undefined;
  conn.request = async (req: HttpRequest) => {
    if (req.method === 'DELETE' && req.path.includes('/deployments/')) deletedDeployment = true;
    if (which(req, deletedDeployment)) await (released ??= release());
    return request(req);
  };
}

async function crdsOfB(b: string): Promise<{ name: string; deleting: boolean; there: boolean }[]> {
  const objects = await renderBootstrap('v2.9.3', b, COMPONENTS);
  const names = objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);
  return Promise.all(
    names.map(async (name) => {
      const crd = await other.getOrUndefined<{ metadata: { deletionTimestamp?: string } }>(`${CRD_PATH}/${name}`);
      return { name, deleting: crd?.metadata.deletionTimestamp !== undefined, there: crd !== undefined };
    }),
  );
}

async function race(which: (req: HttpRequest, deletedDeployment: boolean) => boolean): Promise<{ b: string; report: UninstallReport }> {
  const a = uniqueName('flux-leaving');
  const b = uniqueName('flux-arriving');
  made.push(a, b);
  await applyObjects(other, await renderBootstrap('v2.9.3', a, COMPONENTS));
  const conn = await connect({ kubeconfigPath: kube.kubeconfig });
  try {
    hold(conn, which, async () => {
      await applyObjects(other, await renderBootstrap('v2.9.3', b, COMPONENTS));
    });
    return { b, report: await uninstall(conn, { namespace: a }) };
  } finally {
    conn.close();
  }
}

test('a Flux installed after the uninstall began, before its CRD step, keeps the CRDs', async () => {
  // held: the first request about CRDs once the controllers are being deleted
  const { b, report } = await race((req, deleted) => deleted && req.path.startsWith(CRD_PATH));
  expect(report.crdsKept?.reason).toContain(b);
  expect((await crdsOfB(b)).filter((c) => c.deleting || !c.there)).toEqual([]);
  expect(await other.getOrUndefined(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${b}/gitrepositories/${b}`)).toBeDefined();
});

test('a Flux installed between the last read and the deletes keeps the CRDs (each delete is conditional on what was read)', async () => {
  // held: the CRD deletes themselves
  const { b, report } = await race((req) => req.method === 'DELETE' && req.path.startsWith(`${CRD_PATH}/`));
  expect(report.crdsKept?.reason).toMatch(/changed since/);
  expect((await crdsOfB(b)).filter((c) => c.deleting || !c.there)).toEqual([]);
  expect(await other.getOrUndefined(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${b}/gitrepositories/${b}`)).toBeDefined();
});
