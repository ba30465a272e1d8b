// What in the cluster is ours: objects labelled app.kubernetes.io/part-of=flux and
// app.kubernetes.io/instance=<namespace>, the labels Flux's install generator puts on every
// object of gotk-components.yaml. Listing is by label selector, one LIST per kind.
import type { Connection } from './connection';
import { resourcePath } from './discovery';
import { asKubeObjects, groupOf, isRecord, type KubeObject, type ObjectInput, type ObjectRef } from './objects';
import { mapBounded } from './pool';

export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const PART_OF_VALUE = 'flux';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** kustomize-controller's opt-out, honoured by prune as Flux honours it */
export const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';

/** Kinds of Flux's install manifests (plus ConfigMap and namespaced RBAC, to be safe), listed even when absent from the desired set. */
export const FLUX_INSTALL_KINDS: readonly { apiVersion: string; kind: string }[] = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'ResourceQuota' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
];

export function inventorySelector(namespace: string): string {
  return `${PART_OF_LABEL}=${PART_OF_VALUE},${INSTANCE_LABEL}=${namespace}`;
}

export function isInventoryMember(obj: KubeObject, namespace: string): boolean {
  const labels = obj.metadata?.labels ?? {};
  return labels[PART_OF_LABEL] === PART_OF_VALUE && labels[INSTANCE_LABEL] === namespace;
}

/** Kinds to list: those of the desired set plus the known install kinds, one entry per group+kind. */
export function inventoryKinds(input: readonly ObjectInput[]): { apiVersion: string; kind: string }[] {
  const desired = asKubeObjects(input);
  const seen = new Map<string, { apiVersion: string; kind: string }>();
  for (const k of [...FLUX_INSTALL_KINDS, ...desired.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind }))]) {
    const key = `${groupOf(k.apiVersion)}|${k.kind}`;
    if (k.apiVersion && k.kind && !seen.has(key)) seen.set(key, k);
  }
  return [...seen.values()];
}

/**
 * Objects labelled as part of the Flux instance in `namespace`: namespaced kinds are listed in
 * that namespace only, cluster-scoped kinds cluster-wide. Kinds the cluster does not serve are skipped.
 */
export async function listInventory(
  conn: Connection,
  namespace: string,
  desired: readonly ObjectInput[] = [],
  concurrency = 8,
): Promise<KubeObject[]> {
  conn.discovery.learnCrds(asKubeObjects(desired));
  const selector = inventorySelector(namespace);
  const settled = await mapBounded(inventoryKinds(desired), concurrency, async ({ apiVersion, kind }) => {
    const info = await conn.discovery.tryResolve(apiVersion, kind);
    if (!info) return [];
    const list = await conn.getOrUndefined<{ items?: unknown[] }>(
      `${resourcePath(info, namespace)}?labelSelector=${encodeURIComponent(selector)}`,
      `list ${kind}`,
    );
    // List items carry no apiVersion/kind: restore them so each item stands alone.
    return (list?.items ?? []).filter(isRecord).map((item) => ({ ...item, apiVersion, kind }) as KubeObject);
  });
  const failed = settled.find((s) => !s.ok);
  if (failed && !failed.ok) throw failed.error;
  return settled.flatMap((s) => (s.ok ? s.value : []));
}

/**
 * Identity for matching desired against inventory: group, kind and name. The namespace is left
 * out on purpose: inventory is listed in the one install namespace, and a desired object that
 * forgot its namespace must still protect its live twin from pruning.
 */
export function inventoryKey(ref: ObjectRef): string {
  return [groupOf(ref.apiVersion), ref.kind, ref.name].join('|');
}
