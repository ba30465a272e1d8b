// The engine's objects in the three stages Terraform applies them in, each with a stable
// construct id and the YAML body `kubectl_manifest` applies. Pure, so tests can check it alone.
import { marshal } from '../generate/goyaml/emitter';
import type { KubeObject } from '../generate/kustomize/objects';
import { text } from '../text';

export type Stage = 'crds' | 'components' | 'sync';

export interface StagedObject {
  stage: Stage;
  /** construct id: "<kind>-<namespace>-<name>", lowercased, safe for Terraform */
  id: string;
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
  yaml: string;
}

function meta(o: KubeObject): { name: string; namespace?: string } {
  const m = (o.metadata ?? {}) as Record<string, unknown>;
  return { name: text(m.name ?? ''), namespace: typeof m.namespace === 'string' ? m.namespace : undefined };
}

function group(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/**
 * 1. crds: Namespaces and CustomResourceDefinitions (Flux's first apply stage);
 * 2. components: everything else of gotk-components (controllers, RBAC, services, policies);
 * 3. sync: objects whose kind one of the CRDs defines (the GitRepository and Kustomization),
 *    which need the CRDs established and the controllers running.
 */
export function stageObjects(objects: KubeObject[]): StagedObject[] {
  const defined = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = (o.spec ?? {}) as { group?: string; names?: { kind?: string } };
    defined.add(`${spec.group}/${spec.names?.kind}`);
  }
  const seen = new Set<string>();
  const staged = objects.map((o): StagedObject => {
    const kind = text(o.kind);
    const apiVersion = text(o.apiVersion);
    const { name, namespace } = meta(o);
    const stage: Stage =
      kind === 'Namespace' || kind === 'CustomResourceDefinition'
        ? 'crds'
        : defined.has(`${group(apiVersion)}/${kind}`)
          ? 'sync'
          : 'components';
    const id = [kind, namespace, name]
      .filter(Boolean)
      .join('-')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-');
    if (seen.has(id)) throw new Error(`two objects map to the construct id "${id}"`);
    seen.add(id);
    return { stage, id, kind, apiVersion, name, namespace, yaml: marshal(o) };
  });
  const order: Stage[] = ['crds', 'components', 'sync'];
  return order.flatMap((s) => staged.filter((o) => o.stage === s));
}
