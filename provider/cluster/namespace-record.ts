// What an install records on its namespace itself, where it survives a lost state (Terraform's
// state holds only what providers return; a Pulumi stack can be deleted or moved to a new
// backend):
//   - whether the namespace was there before Flux: written at the first install into a
//     namespace that holds no Flux (one the user made, with a SOPS key in it), read at
//     uninstall, which then keeps the namespace;
//   - that this tool installed the Flux in it: a later create that finds it (the same program
//     after its state was lost) adopts it without `adopt`, saying so.
// Server-side apply of the Namespace by field manager `flux` leaves them alone (another manager
// owns them).
import type { Connection } from './connection';
import { detectInstallation } from './detect';
import { isNotFound } from './errors';
import type { KubeObject } from './objects';

export const NAMESPACE_EXISTED_ANNOTATION = 'flux-bootstrap/namespace-existed';
export const INSTALLED_ANNOTATION = 'flux-bootstrap/installed';

const pathOf = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}`;

/** The records on the namespace (both false when it is absent): one GET. */
export async function namespaceMarks(conn: Connection, namespace: string): Promise<{ existed: boolean; installed: boolean }> {
  const ns = await conn.getOrUndefined<KubeObject>(pathOf(namespace), `Namespace/${namespace}`);
  const a = ns?.metadata.annotations ?? {};
  return { existed: a[NAMESPACE_EXISTED_ANNOTATION] === 'true', installed: a[INSTALLED_ANNOTATION] === 'true' };
}

/** Whether the namespace carries the record (false when it is absent). */
export async function namespaceExistedBefore(conn: Connection, namespace: string): Promise<boolean> {
  return (await namespaceMarks(conn, namespace)).existed;
}

/** Writes the given records on the namespace; false when it is not there. */
export async function markNamespace(
  conn: Connection,
  namespace: string,
  marks: { existed?: boolean; installed?: boolean },
): Promise<boolean> {
  const annotations: Record<string, string> = {};
  if (marks.existed) annotations[NAMESPACE_EXISTED_ANNOTATION] = 'true';
  if (marks.installed) annotations[INSTALLED_ANNOTATION] = 'true';
  if (Object.keys(annotations).length === 0) return true;
  try {
    await conn.request({
      method: 'PATCH',
      path: pathOf(namespace),
      body: { metadata: { annotations } },
      contentType: 'application/merge-patch+json',
      what: `Namespace/${namespace}`,
    });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Before the first apply: marks a namespace that exists without Flux in it; true when the
 *  namespace is (or was already marked as) the user's. */
export async function recordNamespace(conn: Connection, namespace: string, dryRun = false): Promise<boolean> {
  if (await namespaceExistedBefore(conn, namespace)) return true;
  const found = await detectInstallation(conn, namespace);
  if (found.status !== 'absent' || found.namespaceExists !== true) return false;
  if (!dryRun) await markNamespace(conn, namespace, { existed: true });
  return true;
}
