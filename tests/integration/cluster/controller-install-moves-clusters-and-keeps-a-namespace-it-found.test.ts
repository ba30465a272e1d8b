// harness: kube
// ControllerInstall driven the way the Pulumi engine drives it, on two real API servers (the
// harness's and a private one): a namespace that existed before the install is recorded and
// kept by the uninstall (the user's SOPS key stays, the install's own Secret goes); another
// API server in `cluster` is a replacement, created on the new cluster before the old install
// is deleted; a namespace the install created goes on destroy. No controller runs: waits off.
import * as fs from 'node:fs';
import * as controllerInstall from '../../../provider/resources/controller-install';
import { distributionDir } from '../../harness/flux-reference';
import type { KubeInfo } from '../../harness/kube';
import { uniqueName } from '../../harness/kube-client';
import { KubeRest } from '../../harness/kube-rest';
import { harnessInfo } from '../../harness/state';
import { startPrivateKube, type PrivateKube } from './private-kube';

const NS = uniqueName('flux-found');
let second: PrivateKube;
let a: KubeRest;
let b: KubeRest;
let kubeA: KubeInfo;

beforeAll(async () => {
  kubeA = harnessInfo<KubeInfo>('kube');
  a = new KubeRest(kubeA);
  second = await startPrivateKube('moves');
  b = new KubeRest(second.info);
}, 600_000);

afterAll(async () => {
  await a?.delete(`/api/v1/namespaces/${NS}`).catch(() => undefined);
  await second?.stop();
});

const inputs = (kubeconfigFile: string) => ({
  version: 'v2.9.3',
  distribution: distributionDir('v2.9.3'),
  namespace: NS,
  path: 'clusters/moves',
  url: 'https://git.example.com/fleet.git',
  credentials: { username: 'git', password: 'not-a-real-token' },
  cluster: { kubeconfig: fs.readFileSync(kubeconfigFile, 'utf8') },
  wait: { reconciliation: false, deployments: false },
});

test('a namespace found at create is kept on uninstall; another API server is installed first, then the old install removed', async () => {
  await a.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }, 'user');
  await a.apply(
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-age', namespace: NS }, stringData: { 'age.agekey': 'not a real key' } },
    'user',
  );

  const first = (await controllerInstall.check({}, inputs(kubeA.kubeconfig))).inputs;
  const created = await controllerInstall.create(first);
  expect(created.outs).toMatchObject({ namespaceExisted: true, server: kubeA.server.replace(/\/+$/, '') });
  expect(await a.get(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller`)).not.toBeNull();

  // the engine's order for a replacement that is not delete-before-replace
  const moved = (await controllerInstall.check(created.outs, inputs(second.info.kubeconfig))).inputs;
  expect(await controllerInstall.diff(created.id, created.outs, moved)).toEqual({
    changes: true,
    replaces: ['cluster'],
    deleteBeforeReplace: false,
  });
  const replacement = await controllerInstall.create(moved);
  expect(replacement.outs).toMatchObject({ namespaceExisted: false });
  expect(await b.get(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories/${NS}`)).not.toBeNull();
  await controllerInstall.delete(created.id, created.outs);

  expect(await a.get(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller`)).toBeNull();
  expect(await a.get(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories/${NS}`)).toBeNull();
  const ns = await a.get(`/api/v1/namespaces/${NS}`);
  expect(ns?.metadata?.deletionTimestamp).toBeUndefined();
  expect(await a.get(`/api/v1/namespaces/${NS}/secrets/sops-age`)).not.toBeNull();
  expect(await a.get(`/api/v1/namespaces/${NS}/secrets/flux-system`)).toBeNull();

  // destroy on the new cluster: the namespace was made by the install, so it goes
  await controllerInstall.delete(replacement.id, replacement.outs);
  const gone = await b.get(`/api/v1/namespaces/${NS}`);
  expect(gone === null || gone.metadata?.deletionTimestamp !== undefined).toBe(true);
});
