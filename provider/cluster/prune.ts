// prune: delete what is labelled as ours but no longer desired (a component removed), and
// nothing else. Controllers go first so nothing re-creates what follows; CRDs go last, after
// their custom resources lost their finalizers (no controller is left to remove them).
import type { Connection } from './connection';
import { resourcePath } from './discovery';
import { isNotFound } from './errors';
import { inventoryKey, isInventoryMember, PRUNE_ANNOTATION } from './inventory';
import { asKubeObjects, describeObject, groupOf, refOf, type KubeObject, type ObjectInput } from './objects';
import { mapBounded } from './pool';
import { stripCustomResourceFinalizers } from './finalizers';

export interface PruneOptions {
  namespace: string;
  desired: readonly ObjectInput[];
  /** from listInventory */
  inventory: readonly ObjectInput[];
  dryRun?: boolean;
  concurrency?: number;
  onProgress?: (message: string) => void;
}

export interface PruneResult {
  /** `Kind/namespace/name` of what was (dry run: would be) deleted */
  deleted: string[];
  /** what was left alone and why */
  skipped: { object: string; reason: string }[];
}

const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);

/** Deletion order: controllers, then other namespaced objects, then cluster RBAC, then CRDs. */
function rank(obj: KubeObject): number {
  if (obj.kind === 'Deployment') return 0;
  if (obj.kind === 'CustomResourceDefinition') return 3;
  return CLUSTER_SCOPED.has(obj.kind) ? 2 : 1;
}

/**
 * Pure selection: inventory members whose identity is not in `desired`. Never the install
 * namespace itself (uninstall removes it), never objects that opted out of pruning.
 */
export function selectPruneCandidates(
  namespace: string,
  desiredInput: readonly ObjectInput[],
  inventoryInput: readonly ObjectInput[],
): PruneResult & { candidates: KubeObject[] } {
  const desired = asKubeObjects(desiredInput);
  const inventory = asKubeObjects(inventoryInput);
  const keyOf = (o: KubeObject) => inventoryKey(refOf(o));
  const wanted = new Set(desired.map(keyOf));
  const candidates: KubeObject[] = [];
  const skipped: PruneResult['skipped'] = [];
  for (const obj of inventory) {
    if (!isInventoryMember(obj, namespace) || wanted.has(keyOf(obj))) continue;
    const object = describeObject(obj);
    if (obj.kind === 'Namespace' && groupOf(obj.apiVersion) === '' && obj.metadata.name === namespace) {
      skipped.push({ object, reason: 'the install namespace is removed by uninstall only' });
    } else if (obj.metadata.annotations?.[PRUNE_ANNOTATION] === 'disabled') {
      skipped.push({ object, reason: `annotated ${PRUNE_ANNOTATION}: disabled` });
    } else if (obj.metadata.deletionTimestamp) {
      skipped.push({ object, reason: 'already being deleted' });
    } else {
      candidates.push(obj);
    }
  }
  candidates.sort((a, b) => rank(a) - rank(b));
  return { candidates, deleted: candidates.map(describeObject), skipped };
}

/** DELETE that treats "already gone" as done. With `resourceVersion`, only the object as it
 *  was read: a change since fails with 409 Conflict (the server checks, so no race is left). */
export async function deleteObject(conn: Connection, obj: KubeObject, dryRun = false, resourceVersion?: string): Promise<boolean> {
  const info = await conn.discovery.tryResolve(obj.apiVersion, obj.kind);
  if (!info) return false;
  try {
    await conn.request({
      method: 'DELETE',
      path: resourcePath(info, obj.metadata.namespace, obj.metadata.name),
      query: { dryRun: dryRun ? 'All' : undefined },
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: 'Background',
        ...(resourceVersion ? { preconditions: { resourceVersion } } : {}),
      },
      what: describeObject(obj),
    });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

export async function prune(conn: Connection, options: PruneOptions): Promise<PruneResult> {
  const { candidates, deleted, skipped } = selectPruneCandidates(options.namespace, options.desired, options.inventory);
  const concurrency = options.concurrency ?? 8;
  // One rank at a time, in order; objects within a rank in parallel.
  for (let r = 0; r <= 3; r++) {
    const batch = candidates.filter((o) => rank(o) === r);
    if (r === 3 && !options.dryRun) {
      for (const crd of batch) await stripCustomResourceFinalizers(conn, crd, { suspend: false, onProgress: options.onProgress });
    }
    const settled = await mapBounded(batch, concurrency, async (obj) => {
      await deleteObject(conn, obj, options.dryRun);
      options.onProgress?.(`${describeObject(obj)} deleted${options.dryRun ? ' (dry run)' : ''} (no longer desired)`);
    });
    const failed = settled.find((s) => !s.ok);
    if (failed && !failed.ok) throw failed.error;
  }
  return { deleted, skipped };
}
