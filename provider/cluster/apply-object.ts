// Server-side apply of one object, the way Flux's own applier decides what to do: read the live
// object, ask the server for a dry-run of the apply, and write only when that result differs from
// what is live. The dry-run is skipped when the live object proves the apply a no-op
// (unchanged-check.ts). An unchanged object costs two reads and no write, not even of managedFields, so
// adopting an installation made by `flux bootstrap` or kustomize-controller causes no churn.
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

export function serverSideApply(conn: Connection, path: string, body: KubeObject, opts: ApplyObjectOptions, dryRun: boolean): Promise<KubeObject> {
  return conn.request<KubeObject>({
    method: 'PATCH',
    path,
    query: { fieldManager: opts.fieldManager, force: opts.force ? true : undefined, dryRun: dryRun ? 'All' : undefined },
    body,
    contentType: APPLY_PATCH,
    what: describeObject(body),
  });
}

export async function applyObject(conn: Connection, obj: KubeObject, opts: ApplyObjectOptions): Promise<ObjectResult> {
  const { path, body } = await target(conn, obj);
  const base = { ref: refOf(body), object: describeObject(body) };
  const live = await conn.getOrUndefined<KubeObject>(path, base.object);
  if (!live) {
    if (!opts.dryRun) {
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
