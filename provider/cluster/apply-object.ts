// Server-side apply of one object, the way Flux's own applier decides what to do: read the live
// object (a GET, or its item of a LIST of its kind: live-read.ts), ask the server for a dry-run
// of the apply, and write only when that result differs from what is live. The dry-run is
// skipped when the live object proves the apply a no-op (unchanged-check.ts). An unchanged
// object costs its read and no write, not even of managedFields, so adopting an installation
// made by `flux bootstrap` or kustomize-controller causes no churn.
import type { Connection } from './connection';
import { resourcePath, type ResourceInfo } from './discovery';
import { ClusterError, statusOf } from './errors';
import { objectChanges } from './diff';
import { provablyUnchanged } from './unchanged-check';
import { describeObject, refOf, type KubeObject, type ObjectRef } from './objects';

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ObjectResult {
  ref: ObjectRef;
  /** `Kind/namespace/name` */
  object: string;
  action: ApplyAction;
  /** field paths that changed (or would change); empty for created and unchanged */
  changes: string[];
  /** the object as the server now has it (dry run: as it would have it; undefined for an unvalidated create) */
  live?: KubeObject;
}

export interface ApplyObjectOptions {
  fieldManager: string;
  /** take over fields owned by other managers, as the Flux CLI does */
  force: boolean;
  dryRun: boolean;
  /** how long to wait for an object that is being deleted to go before re-creating it; default 120 s */
  deletionTimeoutMs?: number;
  onProgress?: (message: string) => void;
  /** the live object as a LIST found it (null: the LIST proved it absent); undefined: GET it */
  known?: KubeObject | null;
}

export const APPLY_PATCH = 'application/apply-patch+yaml';

/** Checks the identity fields and returns the body to send and the resource URL. */
export async function target(conn: Connection, obj: KubeObject): Promise<{ info: ResourceInfo; path: string; body: KubeObject }> {
  if (!obj?.apiVersion || !obj.kind || !obj.metadata?.name) {
    throw new ClusterError(
      `an object lacks apiVersion, kind or metadata.name (${JSON.stringify({ apiVersion: obj?.apiVersion, kind: obj?.kind, name: obj?.metadata?.name })})`,
      'give every object apiVersion, kind and metadata.name',
    );
  }
  const info = await conn.discovery.resolve(obj.apiVersion, obj.kind);
  let body = obj;
  if (info.namespaced && !obj.metadata.namespace) {
    throw new ClusterError(`${describeObject(obj)} is namespaced but has no metadata.namespace`, 'set metadata.namespace');
  }
  if (!info.namespaced && obj.metadata.namespace !== undefined) {
    const { namespace: _dropped, ...metadata } = obj.metadata;
    body = { ...obj, metadata };
  }
  return { info, path: resourcePath(info, body.metadata.namespace, body.metadata.name), body };
}

export function serverSideApply(
  conn: Connection,
  path: string,
  body: KubeObject,
  opts: ApplyObjectOptions,
  dryRun: boolean,
): Promise<KubeObject> {
  return conn.request<KubeObject>({
    method: 'PATCH',
    path,
    query: { fieldManager: opts.fieldManager, force: opts.force ? true : undefined, dryRun: dryRun ? 'All' : undefined },
    body,
    contentType: APPLY_PATCH,
    what: describeObject(body),
  });
}

/**
 * An object that is being deleted (a CRD or Namespace right after an uninstall) cannot be
 * applied to: it would vanish afterwards, or refuse new content. Wait for it to go.
 */
async function waitUntilGone(conn: Connection, path: string, live: KubeObject, opts: ApplyObjectOptions): Promise<void> {
  const what = describeObject(live);
  const timeoutMs = opts.deletionTimeoutMs ?? 120_000;
  opts.onProgress?.(`${what} is being deleted; waiting for it to go before creating it again`);
  const deadline = Date.now() + timeoutMs;
  let current: KubeObject | undefined = live;
  while (current) {
    if (Date.now() > deadline) {
      const finalizers = current.metadata.finalizers?.join(', ') || 'none';
      throw new ClusterError(
        `${what} is still being deleted after ${Math.round(timeoutMs / 1000)}s (finalizers: ${finalizers})`,
        `wait for the deletion to finish (the object's status and finalizers show what blocks it), then run again`,
        { code: 'StillDeleting' },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    current = await conn.getOrUndefined<KubeObject>(path, what);
  }
}

export async function applyObject(conn: Connection, obj: KubeObject, opts: ApplyObjectOptions): Promise<ObjectResult> {
  const { path, body } = await target(conn, obj);
  const base = { ref: refOf(body), object: describeObject(body) };
  // A dry run GETs what a labelled LIST missed: it may exist unlabelled, and the plan must say so.
  const listed = opts.known === null && opts.dryRun ? undefined : opts.known;
  let live = listed !== undefined ? (listed ?? undefined) : await conn.getOrUndefined<KubeObject>(path, base.object);
  if (live?.metadata.deletionTimestamp) {
    if (opts.dryRun) return { ...base, action: 'created', changes: [] };
    await waitUntilGone(conn, path, { ...live, apiVersion: body.apiVersion, kind: body.kind }, opts);
    live = undefined;
  }
  if (!live) {
    if (!opts.dryRun) {
      const applied = await serverSideApply(conn, path, body, opts, false);
      // a labelled LIST misses another instance's object: the apply itself then shows whether it
      // was still being deleted (a CRD after the uninstall of a move), and must wait and redo it
      if (!applied.metadata.deletionTimestamp) return { ...base, action: 'created', changes: [], live: applied };
      await waitUntilGone(conn, path, { ...applied, apiVersion: body.apiVersion, kind: body.kind }, opts);
      return { ...base, action: 'created', changes: [], live: await serverSideApply(conn, path, body, opts, false) };
    }
    try {
      // Validates the object now; impossible while its namespace or CRD is itself still to be created.
      return { ...base, action: 'created', changes: [], live: await serverSideApply(conn, path, body, opts, true) };
    } catch (err) {
      if (statusOf(err) === 404) return { ...base, action: 'created', changes: [] };
      throw err;
    }
  }
  if (provablyUnchanged(body, live, opts.fieldManager)) return { ...base, action: 'unchanged', changes: [], live };
  const preview = await serverSideApply(conn, path, body, opts, true);
  const changes = objectChanges(live, preview);
  if (changes.length === 0) return { ...base, action: 'unchanged', changes, live };
  if (opts.dryRun) return { ...base, action: 'configured', changes, live: preview };
  return { ...base, action: 'configured', changes, live: await serverSideApply(conn, path, body, opts, false) };
}
