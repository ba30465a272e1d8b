import { inventoryKinds, inventorySelector, isInventoryMember } from '../../../provider/cluster/inventory';
import type { KubeObject } from '../../../provider/cluster/objects';
import { selectPruneCandidates } from '../../../provider/cluster/prune';

const NS = 'flux-system';
const ours = { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/instance': NS };

function obj(
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
  labels: Record<string, string> = ours,
  annotations?: Record<string, string>,
): KubeObject {
  return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), labels, ...(annotations ? { annotations } : {}) } };
}

const component = (name: string) => [obj('apps/v1', 'Deployment', name, NS), obj('v1', 'ServiceAccount', name, NS)];

describe('inventory label selection', () => {
  test('the selector names both labels', () => {
    expect(inventorySelector('infra')).toBe('app.kubernetes.io/part-of=flux,app.kubernetes.io/instance=infra');
  });

  test('an object needs both labels, with the instance equal to the namespace', () => {
    expect(isInventoryMember(obj('v1', 'Service', 'a', NS), NS)).toBe(true);
    expect(isInventoryMember(obj('v1', 'Service', 'a', NS, { 'app.kubernetes.io/part-of': 'flux' }), NS)).toBe(false);
    expect(isInventoryMember(obj('v1', 'Service', 'a', NS, { ...ours, 'app.kubernetes.io/instance': 'other' }), NS)).toBe(false);
    expect(isInventoryMember(obj('v1', 'Service', 'a', NS, {}), NS)).toBe(false);
  });

  test('kinds to list are the known install kinds plus those of the desired set, once per group and kind', () => {
    const kinds = inventoryKinds([obj('source.toolkit.fluxcd.io/v1', 'GitRepository', 'x', NS), obj('apps/v1', 'Deployment', 'y', NS)]);
    const keys = kinds.map((k) => `${k.apiVersion}/${k.kind}`);
    expect(keys).toContain('source.toolkit.fluxcd.io/v1/GitRepository');
    expect(keys).toContain('apiextensions.k8s.io/v1/CustomResourceDefinition');
    expect(keys.filter((k) => k.endsWith('/Deployment'))).toHaveLength(1);
  });
});

describe('prune candidates', () => {
  const desired = [obj('v1', 'Namespace', NS), ...component('source-controller'), ...component('kustomize-controller')];

  test('removing a component selects exactly its objects, controllers first', () => {
    const inventory = [
      ...desired,
      ...component('image-automation-controller'),
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'imageupdateautomations.image.toolkit.fluxcd.io'),
    ];
    const { deleted } = selectPruneCandidates(NS, desired, inventory);
    expect(deleted).toEqual([
      'Deployment/flux-system/image-automation-controller',
      'ServiceAccount/flux-system/image-automation-controller',
      'CustomResourceDefinition/imageupdateautomations.image.toolkit.fluxcd.io',
    ]);
  });

  test('objects of another instance, unlabelled objects and the install namespace are never selected', () => {
    const inventory = [
      obj('apps/v1', 'Deployment', 'foreign', NS, { ...ours, 'app.kubernetes.io/instance': 'other' }),
      obj('v1', 'ConfigMap', 'user-data', NS, {}),
      obj('v1', 'Namespace', NS),
    ];
    const result = selectPruneCandidates(NS, [], inventory);
    expect(result.deleted).toEqual([]);
    expect(result.skipped.map((s) => s.object)).toEqual(['Namespace/flux-system']);
  });

  test('an API version change is the same object, not a delete plus a create', () => {
    const inventory = [
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'alerts.notification.toolkit.fluxcd.io'),
      obj('notification.toolkit.fluxcd.io/v1beta2', 'Alert', 'a', NS),
    ];
    const wanted = [
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'alerts.notification.toolkit.fluxcd.io'),
      obj('notification.toolkit.fluxcd.io/v1beta3', 'Alert', 'a', NS),
    ];
    expect(selectPruneCandidates(NS, wanted, inventory).deleted).toEqual([]);
  });

  test('a desired object that forgot its namespace still protects its live twin', () => {
    const inventory = [obj('v1', 'Service', 'webhook-receiver', NS)];
    expect(selectPruneCandidates(NS, [obj('v1', 'Service', 'webhook-receiver')], inventory).deleted).toEqual([]);
  });

  test('objects annotated prune: disabled are skipped with the reason', () => {
    const inventory = [obj('v1', 'Service', 'kept', NS, ours, { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' })];
    const result = selectPruneCandidates(NS, [], inventory);
    expect(result.deleted).toEqual([]);
    expect(result.skipped[0].reason).toContain('disabled');
  });
});
