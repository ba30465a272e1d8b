// Which Flux custom resources an uninstall may suspend, release and delete (this instance's:
// in its namespace, or applied by its Kustomizations), and when the shared CRDs must stay
// (another instance's controllers, or any custom resource outside this instance).
import { crdsNeededBy, splitOwnership, type CustomResource } from '../../../provider/cluster/instance-ownership';
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
const deployment = (namespace: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'source-controller', namespace, labels: { 'app.kubernetes.io/instance': namespace }, ...extra },
});

test("ours: in the install namespace, or applied by one of its Kustomizations; everything else is another's", () => {
  const tenant = ks('apps', 'tenant', { 'kustomize.toolkit.fluxcd.io/namespace': 'flux-a', 'kustomize.toolkit.fluxcd.io/name': 'flux-a' });
  const o = splitOwnership('flux-a', [crd], [ks('flux-a', 'flux-a'), tenant, ks('flux-b', 'flux-b'), ks('team', 'user-made')], []);
  expect(o.ours.map((r) => r.object.metadata.name)).toEqual(['flux-a', 'tenant']);
  expect(o.others.map((r) => r.object.metadata.name)).toEqual(['flux-b', 'user-made']);
});

test('the CRDs go only when no other instance runs and nothing outside this instance uses them', () => {
  const alone = splitOwnership('flux-a', [crd], [ks('flux-a', 'flux-a')], [deployment('flux-a')]);
  expect(crdsNeededBy(alone, 'flux-a')).toBeUndefined();
  const twoInstances = splitOwnership('flux-a', [crd], [ks('flux-a', 'flux-a')], [deployment('flux-a'), deployment('flux-b')]);
  expect(crdsNeededBy(twoInstances, 'flux-a')).toBe('Flux controllers of another instance run in flux-b');
  const userObjects = splitOwnership('flux-a', [crd], [ks('flux-a', 'flux-a'), ks('team', 'apps')], []);
  expect(crdsNeededBy(userObjects, 'flux-a')).toBe('1 custom resource outside flux-a remain (Kustomization/team/apps)');
});

test('controllers of another namespace already being deleted do not hold the CRDs', () => {
  const leaving = splitOwnership('flux-a', [crd], [], [deployment('flux-b', { deletionTimestamp: '2026-12-03T00:00:00Z' })]);
  expect(leaving.otherInstances).toEqual([]);
});
