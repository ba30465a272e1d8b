// applyObjects: staged server-side apply. CRDs and Namespaces first, then wait until the CRDs
// are Established, then everything else; objects within a stage go in parallel.
import { applyObject, type ObjectResult } from './apply-object';
import { readLive } from './live-read';
import type { Connection } from './connection';
import { AggregateClusterError, isUnreachable } from './errors';
import { waitForCrdsEstablished } from './crd-established';
import { asKubeObjects, describeObject, keyOf, refOf, type KubeObject, type ObjectInput } from './objects';
import { mapBounded } from './pool';
import { stageObjects } from './staging';

export interface ApplyOptions {
  /** default 'flux', the Flux CLI's field manager */
  fieldManager?: string;
  /** only ask the server what would change; write nothing */
  dryRun?: boolean;
  /** requests in flight at once; default 8 */
  concurrency?: number;
  /** take over fields owned by other managers; default true, like the Flux CLI */
  force?: boolean;
  /** how long CRDs may take to become Established; default 60 s */
  crdTimeoutMs?: number;
  /** how long an object still being deleted (e.g. right after an uninstall) may take to go; default 120 s */
  deletionTimeoutMs?: number;
  onProgress?: (message: string) => void;
}

export type { ApplyAction, ObjectResult } from './apply-object';

export function countActions(results: readonly ObjectResult[]): Record<'created' | 'configured' | 'unchanged', number> {
  const counts = { created: 0, configured: 0, unchanged: 0 };
  for (const r of results) counts[r.action]++;
  return counts;
}

async function applyStage(
  conn: Connection,
  objects: KubeObject[],
  opts: Required<Omit<ApplyOptions, 'onProgress'>> & Pick<ApplyOptions, 'onProgress'>,
  done: ObjectResult[],
  total: number,
): Promise<ObjectResult[]> {
  const known = await readLive(conn, objects, opts.concurrency);
  const settled = await mapBounded(objects, opts.concurrency, async (obj) => {
    const result = await applyObject(conn, obj, {
      fieldManager: opts.fieldManager,
      force: opts.force,
      dryRun: opts.dryRun,
      deletionTimeoutMs: opts.deletionTimeoutMs,
      onProgress: opts.onProgress,
      known: known.get(keyOf(refOf(obj))),
    });
    done.push(result);
    if (result.action !== 'unchanged' || opts.dryRun) {
      const verb = opts.dryRun ? `${result.action} (dry run)` : result.action;
      opts.onProgress?.(`[${done.length}/${total}] ${result.object} ${verb}`);
    }
    return result;
  });
  const failures = settled.flatMap((s, i) => (s.ok ? [] : [{ object: describeObject(objects[i]), error: s.error }]));
  // An unreachable cluster fails every object the same way: say it once.
  const unreachable = failures.find((f) => isUnreachable(f.error));
  if (unreachable) throw unreachable.error;
  if (failures.length > 0) throw new AggregateClusterError('apply', objects.length, failures, [...done]);
  return settled.map((s) => (s as { value: ObjectResult }).value);
}

/**
 * Applies `objects` with server-side apply and reports per object created | configured | unchanged.
 * In dryRun mode nothing is written; objects whose namespace or CRD does not exist yet are reported
 * as created without server validation.
 */
export async function applyObjects(conn: Connection, input: readonly ObjectInput[], options: ApplyOptions = {}): Promise<ObjectResult[]> {
  const objects = asKubeObjects(input);
  const opts = {
    fieldManager: options.fieldManager ?? 'flux',
    dryRun: options.dryRun ?? false,
    concurrency: options.concurrency ?? 8,
    force: options.force ?? true,
    crdTimeoutMs: options.crdTimeoutMs ?? 60_000,
    deletionTimeoutMs: options.deletionTimeoutMs ?? 120_000,
    onProgress: options.onProgress,
  };
  conn.discovery.learnCrds([...objects]);
  const { definitions, rest } = stageObjects(objects);
  const done: ObjectResult[] = [];
  const first = await applyStage(conn, definitions, opts, done, objects.length);
  if (!opts.dryRun) await waitForCrdsEstablished(conn, first, opts.crdTimeoutMs, opts.onProgress);
  const second = await applyStage(conn, rest, opts, done, objects.length);
  // Results in input order, whatever order the stages ran in.
  const order = new Map(objects.map((o, i) => [o, i]));
  const all = [...definitions.map((o, i) => [o, first[i]] as const), ...rest.map((o, i) => [o, second[i]] as const)];
  all.sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0));
  return all.map(([, r]) => r);
}
