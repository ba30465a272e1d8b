// The last step of an uninstall, shared by the engine's uninstall (Pulumi, CLI) and the CDKTF
// destroy step: the Flux CRDs are cluster-wide, so they go only when nothing outside this
// instance still uses them (another Flux instance, custom resources in other namespaces);
// otherwise they are kept and the result says why. Deleting a CRD deletes every object of it.
// Who uses them is read here, just before the deletes, not at the start of the uninstall: an
// instance that began installing meanwhile counts. Each delete is conditional on the CRD's
// resourceVersion as read, so an install that applies the CRDs after this read is seen too
// (its apply relabels them; the server refuses the delete with 409).
import type { Connection } from './connection';
import { isConflict } from './errors';
import { crdsNeededBy, lastAppliedByOthers, readOwnership, type Claim } from './instance-ownership';
import { describeObject, type KubeObject } from './objects';
import { mapBounded } from './pool';
import { deleteObject } from './prune';

export interface CrdRelease {
  deleted: string[];
  /** set when the CRDs were left in place: their names and why */
  kept?: { crds: string[]; reason: string };
  failures: { object: string; error: Error }[];
}

/** Deletes `crds` (this instance's) and the other Flux-labelled ones unless something else needs them. */
export async function releaseCrds(
  conn: Connection,
  claim: Claim,
  crds: KubeObject[],
  options: { dryRun?: boolean; concurrency?: number; onProgress?: (m: string) => void } = {},
): Promise<CrdRelease> {
  const say = (m: string) => options.onProgress?.(m);
  const ownership = await readOwnership(conn, claim, options.concurrency);
  const live = new Map(ownership.crds.map((c) => [c.metadata.name, c]));
  // ours that lost the Flux label (rare): read one by one; those gone already need nothing
  for (const c of crds.filter((x) => !live.has(x.metadata.name))) {
    const found = await conn.getOrUndefined<KubeObject>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c.metadata.name}`);
    if (found) live.set(c.metadata.name, { ...found, apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' });
  }
  // as read now: the resourceVersion each delete is conditional on
  const all = [...live.values()].filter((c) => !c.metadata.deletionTimestamp);
  const result: CrdRelease = { deleted: [], failures: [] };
  if (all.length === 0) return result;
  const applying = await lastAppliedByOthers(conn, ownership.crds, claim.namespace);
  const needed = [
    crdsNeededBy(ownership, claim.namespace),
    applying.length ? `the Flux instance of ${applying.join(', ')} applied them last` : '',
  ]
    .filter(Boolean)
    .join('; ');
  if (needed) {
    result.kept = { crds: all.map((c) => c.metadata.name).sort(), reason: needed };
    say(`kept the ${all.length} Flux CRDs: ${needed}`);
    return result;
  }
  say(`deleting ${all.length} Flux CRDs`);
  const changed: string[] = [];
  const settled = await mapBounded(all, options.concurrency ?? 8, async (crd) => {
    try {
      if (await deleteObject(conn, crd, options.dryRun, crd.metadata.resourceVersion)) {
        result.deleted.push(describeObject(crd));
        say(`${describeObject(crd)} deleted${options.dryRun ? ' (dry run)' : ''}`);
      }
    } catch (err) {
      if (!isConflict(err)) throw err;
      changed.push(crd.metadata.name);
    }
  });
  settled.forEach((s, i) => {
    if (!s.ok) result.failures.push({ object: describeObject(all[i]), error: s.error });
  });
  if (changed.length > 0) {
    const reason = `${changed.length} changed since they were read (another Flux install applied them meanwhile)`;
    result.kept = { crds: changed.sort(), reason };
    say(`kept ${changed.length} Flux CRDs: ${reason}`);
  }
  return result;
}
