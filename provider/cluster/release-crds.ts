// The last step of an uninstall, shared by the engine's uninstall (Pulumi, CLI) and the CDKTF
// destroy step: the Flux CRDs are cluster-wide, so they go only when nothing outside this
// instance still uses them (another Flux instance, custom resources in other namespaces);
// otherwise they are kept and the result says why. Deleting a CRD deletes every object of it.
import type { Connection } from './connection';
import { crdsNeededBy, type Ownership } from './instance-ownership';
import { describeObject, type KubeObject } from './objects';
import { mapBounded } from './pool';
import { deleteObject } from './prune';

export interface CrdRelease {
  deleted: string[];
  /** set when the CRDs were left in place: their names and why */
  kept?: { crds: string[]; reason: string };
  failures: { object: string; error: Error }[];
}

/** Deletes `crds` (this instance's and the Flux-labelled ones `ownership` found) unless something else needs them. */
export async function releaseCrds(
  conn: Connection,
  namespace: string,
  crds: KubeObject[],
  ownership: Ownership,
  options: { dryRun?: boolean; concurrency?: number; onProgress?: (m: string) => void } = {},
): Promise<CrdRelease> {
  const say = (m: string) => options.onProgress?.(m);
  const all = [...new Map([...crds, ...ownership.crds].map((c) => [c.metadata.name, c])).values()];
  const result: CrdRelease = { deleted: [], failures: [] };
  const needed = crdsNeededBy(ownership, namespace);
  if (needed && all.length > 0) {
    result.kept = { crds: all.map((c) => c.metadata.name).sort(), reason: needed };
    say(`kept the ${all.length} Flux CRDs: ${needed}`);
    return result;
  }
  say(`deleting ${all.length} Flux CRDs`);
  const settled = await mapBounded(all, options.concurrency ?? 8, async (crd) => {
    if (await deleteObject(conn, crd, options.dryRun)) {
      result.deleted.push(describeObject(crd));
      say(`${describeObject(crd)} deleted${options.dryRun ? ' (dry run)' : ''}`);
    }
  });
  settled.forEach((s, i) => {
    if (!s.ok) result.failures.push({ object: describeObject(all[i]), error: s.error });
  });
  return result;
}
