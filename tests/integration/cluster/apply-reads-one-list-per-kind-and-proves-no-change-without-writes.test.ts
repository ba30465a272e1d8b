// What applyObjects asks the API server, counted request by request on a control plane of its
// own: Flux's labelled objects are read with one LIST per kind and namespace (not one GET
// each), built-in kinds and the CRDs being applied need no discovery request, an object the
// LIST proved absent is created with its one apply, and a no-change apply writes nothing.
import { applyObjects, countActions } from '../../../provider/cluster/apply';
import { connect, type Connection } from '../../../provider/cluster/connection';
import type { HttpRequest } from '../../../provider/cluster/http';
import type { KubeObject } from '../../../provider/cluster/objects';
import { renderInstall } from './flux-fixture';
import { startPrivateKube, type PrivateKube } from './private-kube';

const NS = `lists-${Date.now().toString(36)}`;
let kube: PrivateKube;
let conn: Connection;
let objects: KubeObject[];
let seen: HttpRequest[] = [];

beforeAll(async () => {
  objects = await renderInstall('v2.9.3', NS, ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller']);
  kube = await startPrivateKube('lists');
  conn = await connect({ kubeconfigPath: kube.info.kubeconfig });
  // record every request the layer sends, as the API server would log it
  const request = conn.request.bind(conn);
  conn.request = (req) => {
    seen.push(req);
    return request(req);
  };
});

afterAll(async () => {
  conn?.close();
  await kube?.stop();
});

const kindsOf = (objs: KubeObject[]) => new Set(objs.map((o) => `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}`));
const isList = (r: HttpRequest) => r.method === 'GET' && r.path.includes('?labelSelector=');
const isDiscovery = (r: HttpRequest) => r.method === 'GET' && /^\/apis?\/[^/]+(\/[^/]+)?$/.test(r.path) && !r.path.startsWith('/api/v1/');
const isWrite = (r: HttpRequest) => r.method !== 'GET' && !(r.query as Record<string, unknown> | undefined)?.dryRun;
// the CRD Established wait reads its CRDs by name: that is the wait's business, not the read
const isCrdRead = (r: HttpRequest) => r.method === 'GET' && r.path.startsWith('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/');
const namedReads = () => seen.filter((r) => r.method === 'GET' && !isList(r) && !isDiscovery(r) && !isCrdRead(r));

test('a first install: one LIST per kind, no GET of an object, no discovery, one apply per object', async () => {
  seen = [];
  const results = await applyObjects(conn, objects);
  expect(countActions(results)).toEqual({ created: objects.length, configured: 0, unchanged: 0 });
  expect(namedReads().map((r) => r.path)).toEqual([]);
  expect(seen.filter(isDiscovery).map((r) => r.path)).toEqual([]);
  expect(seen.filter(isList).length).toBeLessThanOrEqual(kindsOf(objects).size);
  expect(seen.filter(isWrite)).toHaveLength(objects.length);
});

test('a no-change apply reads the same way and writes nothing', async () => {
  seen = [];
  const results = await applyObjects(conn, objects);
  expect(countActions(results)).toEqual({ created: 0, configured: 0, unchanged: objects.length });
  expect(seen.filter(isWrite)).toEqual([]);
  expect(namedReads().map((r) => r.path)).toEqual([]);
  expect(seen.filter(isList).length).toBeLessThanOrEqual(kindsOf(objects).size);
});
