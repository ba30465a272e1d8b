// The two steps that let a Flux instance go without taking its workloads along, shared by
// uninstall and the CDKTF destroy steps: suspend its custom resources while the controllers still
// run (a suspended Kustomization's finalizer prunes nothing), and strip their finalizers once the
// controllers are gone (kustomize-controller puts a finalizer back on anything it still sees).
import type { Connection } from './connection';
import { resourcePath } from './discovery';
import { isNotFound } from './errors';
import { hasSuspendField, preferredResource } from './finalizers';
import type { CustomResource } from './instance-ownership';
import { describeObject } from './objects';
import { mapBounded } from './pool';

export interface ReleaseOptions {
  dryRun?: boolean;
  concurrency?: number;
  onProgress?: (message: string) => void;
}

export interface ReleaseResult {
  /** `Kind/namespace/name` of what was patched */
  done: string[];
  failures: { object: string; error: Error }[];
}

/** One merge patch of a custom resource; false when it is gone already. */
async function patchResource(conn: Connection, cr: CustomResource, body: Record<string, unknown>, dryRun?: boolean): Promise<boolean> {
  const info = preferredResource(cr.crd);
  if (!info) return false;
  try {
    await conn.request({
      method: 'PATCH',
      path: resourcePath(info, cr.object.metadata.namespace, cr.object.metadata.name),
      query: { dryRun: dryRun ? 'All' : undefined },
      body,
      contentType: 'application/merge-patch+json',
      what: describeObject(cr.object),
    });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function patchAll(
  conn: Connection,
  items: CustomResource[],
  body: Record<string, unknown>,
  verb: string,
  o: ReleaseOptions,
): Promise<ReleaseResult> {
  const result: ReleaseResult = { done: [], failures: [] };
  const settled = await mapBounded(items, o.concurrency ?? 8, async (cr) => {
    if (!(await patchResource(conn, cr, body, o.dryRun))) return;
    result.done.push(describeObject(cr.object));
    o.onProgress?.(`${describeObject(cr.object)} ${verb}${o.dryRun ? ' (dry run)' : ''}`);
  });
  settled.forEach((s, i) => {
    if (!s.ok) result.failures.push({ object: describeObject(items[i].object), error: s.error });
  });
  return result;
}

/** spec.suspend: true on each that has the field and is neither suspended nor being deleted. */
export function suspendResources(conn: Connection, items: CustomResource[], o: ReleaseOptions = {}): Promise<ReleaseResult> {
  const todo = items.filter(
    (cr) =>
      hasSuspendField(cr.crd) &&
      (cr.object.spec as { suspend?: boolean } | undefined)?.suspend !== true &&
      !cr.object.metadata.deletionTimestamp,
  );
  return patchAll(conn, todo, { spec: { suspend: true } }, 'suspended', o);
}

/** metadata.finalizers removed from each that has any. */
export function stripFinalizers(conn: Connection, items: CustomResource[], o: ReleaseOptions = {}): Promise<ReleaseResult> {
  const todo = items.filter((cr) => (cr.object.metadata.finalizers?.length ?? 0) > 0);
  return patchAll(conn, todo, { metadata: { finalizers: null } }, 'finalizers removed', o);
}
