import type { KubeObject } from '../../../provider/cluster/objects';
import { coversFields, isSubset, provablyUnchanged } from '../../../provider/cluster/unchanged-check';

const desired = (): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gitrepositories.source.toolkit.fluxcd.io', labels: { 'app.kubernetes.io/part-of': 'flux' } },
  spec: { group: 'source.toolkit.fluxcd.io', names: { kind: 'GitRepository', categories: ['fluxcd'] }, scope: 'Namespaced' },
});

const ownedByFlux = {
  'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/part-of': {} } },
  'f:spec': { 'f:group': {}, 'f:names': { 'f:kind': {}, 'f:categories': {} }, 'f:scope': {} },
};

function live(fields: unknown = ownedByFlux, extra: Record<string, unknown> = {}): KubeObject {
  const d = desired();
  return {
    ...d,
    metadata: {
      ...d.metadata,
      resourceVersion: '7',
      uid: 'u',
      labels: { ...d.metadata.labels, 'kustomize.toolkit.fluxcd.io/name': 'flux-system' },
      managedFields: [
        { manager: 'flux', operation: 'Apply', apiVersion: 'apiextensions.k8s.io/v1', fieldsV1: fields },
        {
          manager: 'kustomize-controller',
          operation: 'Apply',
          apiVersion: 'apiextensions.k8s.io/v1',
          fieldsV1: { 'f:metadata': { 'f:labels': { 'f:kustomize.toolkit.fluxcd.io/name': {} } } },
        },
      ],
    },
    spec: { ...(d.spec as object), conversion: { strategy: 'None' }, ...extra },
    status: { conditions: [] },
  };
}

describe('proving an apply would change nothing', () => {
  test("the same fields, plus server defaults and another manager's labels: proven unchanged", () => {
    expect(provablyUnchanged(desired(), live(), 'flux')).toBe(true);
  });

  test('a changed value is not', () => {
    const d = desired();
    (d.spec as { scope: string }).scope = 'Cluster';
    expect(provablyUnchanged(d, live(), 'flux')).toBe(false);
  });

  test('a field we own that the desired object dropped is not (the apply would remove it)', () => {
    const d = desired();
    delete (d.spec as { names: { categories?: string[] } }).names.categories;
    expect(provablyUnchanged(d, live(), 'flux')).toBe(false);
  });

  test('a field only another manager owns may be absent from the desired object', () => {
    expect(provablyUnchanged(desired(), live(ownedByFlux, { preserveUnknownFields: false }), 'flux')).toBe(true);
  });

  test('lists compare whole: an extra item is a change', () => {
    const l = live();
    (l.spec as { names: { categories: string[] } }).names.categories = ['fluxcd', 'all'];
    expect(provablyUnchanged(desired(), l, 'flux')).toBe(false);
  });

  test('ownership recorded for another API version, or a deleting object, defers to the server', () => {
    const l = live();
    (l.metadata.managedFields as { apiVersion: string }[])[0].apiVersion = 'apiextensions.k8s.io/v1beta1';
    expect(provablyUnchanged(desired(), l, 'flux')).toBe(false);
    expect(provablyUnchanged(desired(), { ...live(), metadata: { ...live().metadata, deletionTimestamp: 'now' } }, 'flux')).toBe(false);
  });

  test('never applied by us (adoption from kubectl): judged by values alone', () => {
    const l = live();
    l.metadata.managedFields = [{ manager: 'kubectl-client-side-apply', operation: 'Update', fieldsV1: {} }];
    expect(provablyUnchanged(desired(), l, 'flux')).toBe(true);
  });
});

describe('fieldsV1 coverage', () => {
  const value = { spec: { containers: [{ name: 'manager', ports: [{ containerPort: 8080, protocol: 'TCP' }] }], finalizers: ['a'] } };

  test('keyed list items, set values and indexes resolve against the object', () => {
    expect(
      coversFields(
        {
          'f:spec': {
            'f:containers': { 'k:{"name":"manager"}': { '.': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': {} } } },
          },
        },
        value,
      ),
    ).toBe(true);
    expect(coversFields({ 'f:spec': { 'f:finalizers': { 'v:"a"': {} } } }, value)).toBe(true);
    expect(coversFields({ 'f:spec': { 'f:containers': { 'i:0': {} } } }, value)).toBe(true);
  });

  test('a missing item or an unknown key kind is not covered', () => {
    expect(coversFields({ 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': {} } } }, value)).toBe(false);
    expect(coversFields({ 'f:spec': { 'f:finalizers': { 'v:"b"': {} } } }, value)).toBe(false);
    expect(coversFields({ 'x:weird': {} }, value)).toBe(false);
  });

  test('subset ignores nulls in the desired object and extra fields in the live one', () => {
    expect(isSubset({ a: 1, b: null, c: { d: 2 } }, { a: 1, c: { d: 2, e: 3 }, f: 4 })).toBe(true);
    expect(isSubset({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
  });
});
