// harness: kube
// ControllerInstall's outputs list every installed controller in `components` (the defaults and
// the extras), while the inputs keep `componentsExtra` apart. refresh (read) renders from the
// outputs: it must take the extras out of `components` again, or the options repeat them and
// fail the engine's check ("must not repeat"), so every `pulumi refresh` of such a stack fails.
// Driven the way the Pulumi engine drives it, on the harness's real API server; waits off.
// An end-to-end file for its own API server: on the integration layer's shared one, another
// file's Flux relabels the cluster-wide CRDs with its namespace, and this install's labelled read
// then found them "missing" (CI).
import * as fs from 'node:fs';
import * as controllerInstall from '../../provider/resources/controller-install';
import { distributionDir } from '../harness/flux-reference';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { harnessInfo } from '../harness/state';

const NS = uniqueName('flux-extra');
const EXTRA = ['image-reflector-controller', 'image-automation-controller'];
let kube: KubeInfo;

beforeAll(() => {
  kube = harnessInfo<KubeInfo>('kube');
});

afterAll(async () => {
  await new KubeRest(kube).delete(`/api/v1/namespaces/${NS}`).catch(() => undefined);
});

test('refresh of an install with componentsExtra reads without error, finds no drift, and the next diff is empty', async () => {
  const given = {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace: NS,
    path: 'clusters/extra',
    componentsExtra: EXTRA,
    url: 'https://git.example.com/fleet.git',
    credentials: { username: 'git', password: 'not-a-real-token' },
    cluster: { kubeconfig: fs.readFileSync(kube.kubeconfig, 'utf8') },
    wait: { reconciliation: false, deployments: false },
  };
  const inputs = (await controllerInstall.check({}, given)).inputs as Record<string, unknown>;
  const created = await controllerInstall.create(inputs);
  const outs = created.outs as Record<string, unknown>;
  expect(outs.components).toEqual(['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller', ...EXTRA]);
  expect(outs.componentsExtra).toEqual(EXTRA);

  const read = await controllerInstall.read(created.id, outs);
  expect(read.id).toBe(created.id);
  expect(read.props?.drift).toEqual([]);
  // the outputs keep their shape: all controllers in components, the extras apart
  expect(read.props?.components).toEqual(outs.components);
  expect(read.props?.componentsExtra).toEqual(EXTRA);

  const again = (await controllerInstall.check(inputs, given)).inputs as Record<string, unknown>;
  expect(await controllerInstall.diff(created.id, read.props, again)).toMatchObject({ changes: false, replaces: [] });
  await controllerInstall.delete(created.id, read.props);
});
