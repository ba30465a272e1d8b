// harness: kube
// Refresh of ControllerInstall after Flux took over: kustomize-controller re-applies the objects
// from the repository (and, racing an install, may apply the previous commit's before ours),
// which moves their generation without leaving anything different from what the install
// renders. That is not drift; an object whose fields really differ is, and the drift names the
// fields. Driven the way the Pulumi engine drives it, on the harness's real API server; waits off.
import * as fs from 'node:fs';
import * as controllerInstall from '../../../provider/resources/controller-install';
import { distributionDir } from '../../harness/flux-reference';
import type { KubeInfo } from '../../harness/kube';
import { uniqueName } from '../../harness/kube-client';
import { KubeRest } from '../../harness/kube-rest';
import { harnessInfo } from '../../harness/state';

const NS = uniqueName('flux-moved');
let kube: KubeInfo;
let rest: KubeRest;
/** A strategic merge patch of the manager container's args (containers merge by name). */
const setArgs = async (path: string, args: string[]) => {
  const r = await rest.request(
    'PATCH',
    path,
    { spec: { template: { spec: { containers: [{ name: 'manager', args }] } } } },
    'application/strategic-merge-patch+json',
  );
  if (r.status >= 300) throw new Error(`PATCH ${path}: HTTP ${r.status}`);
};

beforeAll(() => {
  kube = harnessInfo<KubeInfo>('kube');
  rest = new KubeRest(kube);
});

/** The drift of this install's namespaced objects. CRDs are cluster-wide: an integration file
 *  running beside this one may uninstall its Flux and, as it should, delete the CRDs no object
 *  uses any more (buckets, externalartifacts), which this install then reports missing. */
const namespaced = (drift: unknown) => (drift as string[]).filter((d) => !/^missing CustomResourceDefinition\//.test(d));

afterAll(async () => {
  await rest.delete(`/api/v1/namespaces/${NS}`).catch(() => undefined);
});

test('a generation moved by a re-apply of the same content is no drift; a changed field is, named', async () => {
  const given = {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace: NS,
    path: 'clusters/moved',
    url: 'https://git.example.com/fleet.git',
    credentials: { username: 'git', password: 'not-a-real-token' },
    cluster: { kubeconfig: fs.readFileSync(kube.kubeconfig, 'utf8') },
    wait: { reconciliation: false, deployments: false },
  };
  const inputs = (await controllerInstall.check({}, given)).inputs as Record<string, unknown>;
  const created = await controllerInstall.create(inputs);
  const path = `/apis/apps/v1/namespaces/${NS}/deployments/source-controller`;
  const before = (await rest.get(path)).metadata.generation as number;

  // another writer changes the spec and puts it back, as a re-apply of an older commit then ours would
  const args = (await rest.get(path)).spec.template.spec.containers[0].args as string[];
  await setArgs(path, [...args, '--concurrent=3']);
  await setArgs(path, args);
  const moved = (await rest.get(path)).metadata.generation as number;
  expect(moved).toBe(before + 2);

  const read = await controllerInstall.read(created.id, created.outs as Record<string, unknown>);
  expect(namespaced(read.props?.drift)).toEqual([]);
  // the new generation is recorded: the next refresh needs no dry run
  const watched = (read.props?.watched as { kind: string; name: string; generation?: number }[]).find(
    (w) => w.kind === 'Deployment' && w.name === 'source-controller',
  );
  expect(watched?.generation).toBe(moved);

  // a real change stays drift, and says which field
  await setArgs(path, [...args, '--concurrent=3']);
  const again = await controllerInstall.read(created.id, read.props);
  expect(namespaced(again.props?.drift)).toEqual([
    expect.stringMatching(new RegExp(`^changed Deployment/${NS}/source-controller \\(.*spec\\.template\\.spec\\.containers`)),
  ]);
  await controllerInstall.delete(created.id, again.props);
});
