import { parseAllDocuments } from 'yaml';
import { stageObjects } from '../../../provider/cluster/staging';
import type { KubeObject } from '../../../provider/cluster/objects';
import { goldenOrRendered } from '../support/reference';

async function load(file: 'gotk-components.yaml' | 'gotk-sync.yaml'): Promise<KubeObject[]> {
  return parseAllDocuments(await goldenOrRendered(file))
    .map((d) => d.toJS() as KubeObject)
    .filter((o) => o && o.kind);
}

describe('staging of the v2.9.3 bootstrap output (the real one when present)', () => {
  let objects: KubeObject[];
  let definitions: KubeObject[];
  let rest: KubeObject[];
  beforeAll(async () => {
    objects = [...(await load('gotk-components.yaml')), ...(await load('gotk-sync.yaml'))];
    ({ definitions, rest } = stageObjects(objects));
  });

  test('the first stage holds exactly the CRDs and the Namespace', () => {
    expect(new Set(definitions.map((o) => o.kind))).toEqual(new Set(['Namespace', 'CustomResourceDefinition']));
    expect(definitions).toHaveLength(objects.filter((o) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition').length);
    expect(definitions.filter((o) => o.kind === 'CustomResourceDefinition')).toHaveLength(14);
  });

  test('custom resources of those CRDs (GitRepository, Kustomization) come in the second stage', () => {
    const kinds = rest.map((o) => o.kind);
    expect(kinds).toContain('GitRepository');
    expect(kinds).toContain('Kustomization');
    expect(kinds).toContain('Deployment');
    expect(kinds).not.toContain('CustomResourceDefinition');
  });

  test('the input order is kept within each stage', () => {
    const index = new Map(objects.map((o, i) => [o, i]));
    for (const stage of [definitions, rest]) {
      const positions = stage.map((o) => index.get(o) as number);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  test('nothing is lost or duplicated', () => {
    expect(definitions.length + rest.length).toBe(objects.length);
  });
});
