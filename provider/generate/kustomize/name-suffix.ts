// kustomize's `nameSuffix:` with the name-reference fix-up Flux relies on for rbac.yaml:
// every object gets the suffix, and (Cluster)RoleBinding roleRefs follow renamed roles.
import { asMap, kindOf, metadataOf, nameOf, type KubeObject } from './objects';

// kustomize never renames these.
const SKIP = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);

export function addNameSuffix(objects: KubeObject[], suffix: string): void {
  const renamed = new Map<string, string>();
  for (const obj of objects) {
    const kind = kindOf(obj);
    if (SKIP.has(kind)) continue;
    const name = nameOf(obj);
    metadataOf(obj).name = name + suffix;
    if (kind === 'ClusterRole' || kind === 'Role') renamed.set(`${kind}/${name}`, name + suffix);
  }
  for (const obj of objects) {
    const kind = kindOf(obj);
    if (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') continue;
    const ref = asMap(obj.roleRef);
    if (!ref || typeof ref.name !== 'string') continue;
    const target = renamed.get(`${kindOf(ref)}/${ref.name}`);
    if (target) ref.name = target;
  }
}
