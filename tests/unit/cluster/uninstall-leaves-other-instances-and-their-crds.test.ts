// Which Flux custom resources an uninstall may suspend, release and delete (this instance's:
// what its install applied, everything in a namespace that goes with it, and what those applied,
// transitively), and when the shared CRDs must stay (another instance's controllers, or any
// custom resource outside this instance).
import { crdsNeededBy, splitOwnership, type Claim, type CustomResource } from '../../../provider/cluster/instance-ownership';
import type { KubeObject } from '../../../provider/cluster/objects';

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'kustomizations.kustomize.toolkit.fluxcd.io' },
};
const ks = (namespace: string, name: string, labels?: Record<string, string>): CustomResource => ({
  crd,
  object: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace, labels } },
});
// an install that created its namespace (which goes with it), and its sync objects
const claimOf = (namespace: string, wholeNamespace = true): Claim => ({
  namespace,
  recorded: [`GitRepository/${namespace}/${namespace}`, `Kustomization/${namespace}/${namespace}`],
  wholeNamespace,
});
const deployment = (namespace: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'source-controller', namespace, labels: { 'app.kubernetes.io/instance': namespace }, ...extra },
});

test("ours: in the install namespace, or applied by one of its Kustomizations; everything else is another's", () => {
  const tenant = ks('apps', 'tenant', { 'kustomize.toolkit.fluxcd.io/namespace': 'flux-a', 'kustomize.toolkit.fluxcd.io/name': 'flux-a' });
  const o = splitOwnership(claimOf('flux-a'), [crd], [ks('flux-a', 'flux-a'), tenant, ks('flux-b', 'flux-b'), ks('team', 'user-made')], []);
  expect(o.ours.map((r) => r.object.metadata.name)).toEqual(['flux-a', 'tenant']);
  expect(o.others.map((r) => r.object.metadata.name)).toEqual(['flux-b', 'user-made']);
});

test('the CRDs go only when no other instance runs and nothing outside this instance uses them', () => {
  const alone = splitOwnership(claimOf('flux-a'), [crd], [ks('flux-a', 'flux-a')], [deployment('flux-a')]);
  expect(crdsNeededBy(alone, 'flux-a')).toBeUndefined();
  const twoInstances = splitOwnership(claimOf('flux-a'), [crd], [ks('flux-a', 'flux-a')], [deployment('flux-a'), deployment('flux-b')]);
  expect(crdsNeededBy(twoInstances, 'flux-a')).toBe('Flux controllers of another instance run in flux-b');
  const userObjects = splitOwnership(claimOf('flux-a'), [crd], [ks('flux-a', 'flux-a'), ks('team', 'apps')], []);
  expect(crdsNeededBy(userObjects, 'flux-a')).toBe('1 custom resource outside flux-a remain (Kustomization/team/apps)');
});

test('controllers of another namespace already being deleted do not hold the CRDs', () => {
  const leaving = splitOwnership(claimOf('flux-a'), [crd], [], [deployment('flux-b', { deletionTimestamp: '2026-12-03T00:00:00Z' })]);
  expect(leaving.otherInstances).toEqual([]);
});

test('in a namespace that was there before, only what the install applied is ours, and what that applied, transitively', () => {
  const label = (namespace: string, name: string) => ({
    'kustomize.toolkit.fluxcd.io/namespace': namespace,
    'kustomize.toolkit.fluxcd.io/name': name,
  });
  const o = splitOwnership(
    claimOf('flux-a', false),
    [crd],
    [
      ks('flux-a', 'flux-a'),
      // from the repository: applied by ours, and what that applied in turn
      ks('flux-a', 'infra', label('flux-a', 'flux-a')),
      ks('apps', 'tenant', label('flux-a', 'infra')),
      // made by hand beside the install, and what it applied
      ks('flux-a', 'user-made'),
      ks('team', 'from-user-made', label('flux-a', 'user-made')),
    ],
    [],
  );
  expect(o.ours.map((r) => r.object.metadata.name).sort()).toEqual(['flux-a', 'infra', 'tenant']);
  expect(o.others.map((r) => r.object.metadata.name).sort()).toEqual(['from-user-made', 'user-made']);
  expect(crdsNeededBy(o, 'flux-a')).toBe(
    '2 custom resources outside flux-a remain (Kustomization/flux-a/user-made, Kustomization/team/from-user-made)',
  );
});
