import { comparable, diffPaths, objectChanges } from '../../../provider/cluster/diff';
import type { KubeObject } from '../../../provider/cluster/objects';

function deployment(image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'source-controller',
      namespace: 'flux-system',
      labels: { 'app.kubernetes.io/version': 'v2.9.3' },
      resourceVersion: '100',
      generation: 3,
      uid: 'u',
      creationTimestamp: '2026-01-01T00:00:00Z',
      managedFields: [{ manager: 'flux' }],
    },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'manager', image, args: ['--a', '--b'] },
            { name: 'sidecar', image: 'busybox' },
          ],
        },
      },
    },
    status: { replicas: 1 },
    ...extra,
  };
}

describe('diff between a live object and a server-side dry-run result', () => {
  test('identical objects that differ only in server-owned metadata and status have no changes', () => {
    const live = deployment('ghcr.io/fluxcd/source-controller:v1.9.3');
    const dry = deployment('ghcr.io/fluxcd/source-controller:v1.9.3');
    dry.metadata = { ...dry.metadata, resourceVersion: '101', generation: 4, managedFields: [{ manager: 'other' }] };
    dry.status = { replicas: 0 };
    expect(objectChanges(live, dry)).toEqual([]);
  });

  test('a changed image is reported at its path, with the container matched by name', () => {
    const live = deployment('ghcr.io/fluxcd/source-controller:v1.8.5');
    const dry = deployment('ghcr.io/fluxcd/source-controller:v1.9.3');
    expect(objectChanges(live, dry)).toEqual(['spec.template.spec.containers[name=manager].image']);
  });

  test('label keys with dots and slashes are quoted', () => {
    const live = deployment('x');
    const dry = deployment('x');
    dry.metadata = { ...dry.metadata, labels: { 'app.kubernetes.io/version': 'v2.9.4' } };
    expect(objectChanges(live, dry)).toEqual(['metadata.labels["app.kubernetes.io/version"]']);
  });

  test('unnamed list items are compared by index; added and removed fields report their root', () => {
    expect(diffPaths({ args: ['--a', '--b'] }, { args: ['--a', '--c', '--d'] })).toEqual(['args[1]', 'args[2]']);
    expect(diffPaths({ spec: {} }, { spec: { tolerations: [{ key: 'k' }] } })).toEqual(['spec.tolerations']);
    expect(diffPaths({ spec: { suspend: true } }, { spec: {} })).toEqual(['spec.suspend']);
  });

  test('a named item inserted in the middle reports only that item', () => {
    const before = {
      env: [
        { name: 'A', value: '1' },
        { name: 'C', value: '3' },
      ],
    };
    const after = {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
        { name: 'C', value: '3' },
      ],
    };
    expect(diffPaths(before, after)).toEqual(['env[name=B]']);
  });

  test('a Secret diff names keys, never values', () => {
    const secret = (v: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { identity: v } });
    const paths = objectChanges(secret('c2VjcmV0MQ=='), secret('c2VjcmV0Mg=='));
    expect(paths).toEqual(['data.identity']);
    expect(JSON.stringify(paths)).not.toContain('c2Vj');
  });

  test('comparable() drops status and server metadata but keeps labels and annotations', () => {
    const c = comparable(deployment('x')) as { metadata: Record<string, unknown>; status?: unknown };
    expect(c.status).toBeUndefined();
    expect(Object.keys(c.metadata).sort()).toEqual(['labels', 'name', 'namespace']);
  });
});
