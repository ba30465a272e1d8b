// harness: kube
// ControllerPreinstall, the first install's head start, driven as the Pulumi engine drives it
// beside ControllerInstall on a real API server: into a new namespace it applies the
// controllers (nothing that needs the commit) and says where; ControllerInstall takes a Flux
// found exactly there as its own, and refuses one anywhere else as it refuses any Flux it did
// not make. Into a namespace that exists (a user's, or a Flux) it does nothing: what destroy
// keeps is ControllerInstall's to decide. No controller runs: waits off.
import * as controllerInstall from '../../../provider/resources/controller-install';
import * as controllerPreinstall from '../../../provider/resources/controller-preinstall';
import { distributionDir } from '../../harness/flux-reference';
import type { KubeInfo } from '../../harness/kube';
import { uniqueName } from '../../harness/kube-client';
import { KubeRest } from '../../harness/kube-rest';
import { harnessInfo } from '../../harness/state';

const NEW = uniqueName('flux-ahead');
const USED = uniqueName('flux-ahead-used');
let kube: KubeInfo;
let rest: KubeRest;

beforeAll(() => {
  kube = harnessInfo<KubeInfo>('kube');
  rest = new KubeRest(kube);
});

afterAll(async () => {
  for (const ns of [NEW, USED]) await rest?.delete(`/api/v1/namespaces/${ns}`).catch(() => undefined);
});

const inputs = (namespace: string) => ({
  version: 'v2.9.3',
  distribution: distributionDir('v2.9.3'),
  namespace,
  path: 'clusters/ahead',
  url: 'https://git.example.com/fleet.git',
  cluster: { kubeconfigPath: kube.kubeconfig },
});
const installInputs = (namespace: string, preinstalled: string) => ({
  ...inputs(namespace),
  preinstalled,
  credentials: { username: 'git', password: 'not-a-real-token' },
  wait: { reconciliation: false, deployments: false },
});
const server = () => kube.server.replace(/\/+$/, '');

test("into a new namespace it applies the controllers and says where; ControllerInstall finishes them there, and refuses them as another place's", async () => {
  const pre = await controllerPreinstall.create(inputs(NEW));
  expect(pre.outs?.preinstalled).toBe(`${server()}/${NEW}`);
  expect(await rest.get(`/apis/apps/v1/namespaces/${NEW}/deployments/source-controller`)).not.toBeNull();
  // what needs the commit waits for ControllerInstall
  expect(await rest.get(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${NEW}/gitrepositories/${NEW}`)).toBeNull();
  expect(await rest.get(`/api/v1/namespaces/${NEW}/secrets/flux-system`)).toBeNull();

  const elsewhere = (await controllerInstall.check({}, installInputs(NEW, `${server()}/another-namespace`))).inputs;
  await expect(controllerInstall.create(elsewhere)).rejects.toThrow(/adopt/);

  const here = (await controllerInstall.check({}, installInputs(NEW, pre.outs?.preinstalled as string))).inputs;
  const created = await controllerInstall.create(here);
  expect(created.outs).toMatchObject({ namespaceExisted: false });
  expect(await rest.get(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${NEW}/gitrepositories/${NEW}`)).not.toBeNull();
  expect(await rest.get(`/api/v1/namespaces/${NEW}/secrets/flux-system`)).not.toBeNull();

  // the preinstall never deletes; ControllerInstall uninstalls what both applied
  await controllerPreinstall.delete();
  expect(await rest.get(`/apis/apps/v1/namespaces/${NEW}/deployments/source-controller`)).not.toBeNull();
  await controllerInstall.delete(created.id, created.outs);
  expect(await rest.get(`/apis/apps/v1/namespaces/${NEW}/deployments/source-controller`)).toBeNull();
});

test('into a namespace that exists it does nothing, so destroy keeps that namespace', async () => {
  await rest.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: USED } }, 'user');
  const pre = await controllerPreinstall.create(inputs(USED));
  expect(pre.outs?.preinstalled).toBe('');
  expect(await rest.get(`/apis/apps/v1/namespaces/${USED}/deployments/source-controller`)).toBeNull();
});
