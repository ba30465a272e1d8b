// harness: kube
// Destroy by record: ControllerInstall installed into a namespace the user had made (holding a
// SOPS key, a ConfigMap and a Secret named like Flux's own), and the user's own GitRepository
// there, with its Secret. The uninstall deletes what the install applied and nothing else: the
// user's GitRepository keeps its finalizer and is not suspended, every object of the user's
// stays, the namespace is not Terminating; the CRDs stay, since the user's GitRepository uses
// them, and the destroy says so. Driven as the Pulumi engine drives it; no controller runs.
import * as fs from 'node:fs';
import * as controllerInstall from '../../../provider/resources/controller-install';
import { distributionDir } from '../../harness/flux-reference';
import type { KubeInfo } from '../../harness/kube';
import { uniqueName } from '../../harness/kube-client';
import { KubeRest } from '../../harness/kube-rest';
import { harnessInfo } from '../../harness/state';

const NS = uniqueName('flux-found');
const gitRepositories = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories`;
let rest: KubeRest;
let kube: KubeInfo;
const lines: string[] = [];

beforeAll(() => {
  kube = harnessInfo<KubeInfo>('kube');
  rest = new KubeRest(kube);
});

afterAll(async () => {
  // no controller runs here: the finalizer of the user's GitRepository would hold the namespace
  await rest.mergePatch(`${gitRepositories}/apps`, { metadata: { finalizers: null } }).catch(() => undefined);
  await rest.delete(`/api/v1/namespaces/${NS}`).catch(() => undefined);
});

const inputs = () => ({
  version: 'v2.9.3',
  distribution: distributionDir('v2.9.3'),
  namespace: NS,
  path: 'clusters/found',
  url: 'https://git.example.com/fleet.git',
  credentials: { username: 'git', password: 'not-a-real-token' },
  cluster: { kubeconfig: fs.readFileSync(kube.kubeconfig, 'utf8') },
  wait: { reconciliation: false, deployments: false },
});

test("uninstall in a namespace that existed before deletes only what the install applied: the user's GitRepository, Secrets and ConfigMap stay", async () => {
  const user = 'user';
  await rest.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }, user);
  await rest.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-age', namespace: NS }, stringData: { key: 'age' } }, user);
  await rest.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team', namespace: NS }, data: { owner: 'team' } }, user);
  // a Secret named like the one the install applies (secretName), made by the user before it
  await rest.apply(
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'flux-system', namespace: NS }, stringData: { note: 'mine' } },
    user,
  );

  // the progress lines a destroy prints
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    const created = await controllerInstall.create((await controllerInstall.check({}, inputs())).inputs);
    expect(created.outs).toMatchObject({ namespaceExisted: true, existedBefore: [`Secret/${NS}/flux-system`] });

    // the user's own source in that namespace, with its Secret and the finalizer its controller puts on
    await rest.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'apps-auth', namespace: NS }, stringData: { u: 'x' } }, user);
    await rest.apply(
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'apps', namespace: NS, finalizers: ['finalizers.fluxcd.io'] },
        spec: { interval: '1m', url: 'https://git.example.com/apps.git', ref: { branch: 'main' }, secretRef: { name: 'apps-auth' } },
      },
      user,
    );

    await controllerInstall.delete(created.id, created.outs);
  } finally {
    spy.mockRestore();
  }

  // what the install applied is gone
  expect(await rest.get(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller`)).toBeNull();
  expect(await rest.get(`${gitRepositories}/${NS}`)).toBeNull();
  // the user's: all there, untouched
  const mine = await rest.get(`${gitRepositories}/apps`);
  expect({
    there: mine !== null,
    deleting: mine?.metadata?.deletionTimestamp,
    suspended: mine?.spec?.suspend,
    finalizers: mine?.metadata?.finalizers,
  }).toEqual({ there: true, deleting: undefined, suspended: undefined, finalizers: ['finalizers.fluxcd.io'] });
  for (const secret of ['sops-age', 'apps-auth', 'flux-system'])
    expect({ secret, there: (await rest.get(`/api/v1/namespaces/${NS}/secrets/${secret}`)) !== null }).toEqual({ secret, there: true });
  expect((await rest.get(`/api/v1/namespaces/${NS}/configmaps/team`))?.data).toEqual({ owner: 'team' });
  expect((await rest.get(`/api/v1/namespaces/${NS}`))?.metadata?.deletionTimestamp).toBeUndefined();
  // the CRDs stay while the user's GitRepository uses them, and the destroy says why
  expect(await rest.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gitrepositories.source.toolkit.fluxcd.io')).not.toBeNull();
  expect(lines.join('')).toContain(`GitRepository/${NS}/apps`);
});
