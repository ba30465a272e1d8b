// Whether the install namespace was there before Flux, recorded on the namespace itself: an
// annotation written at the first install into a namespace that holds no Flux (a namespace the
// user made, with a SOPS key in it), and read at uninstall, which then keeps the namespace. The
// CDKTF construct has no other place for it (Terraform's state holds only what providers
// return), and in the cluster it survives a lost state: a later install finds Flux there, but
// the annotation still says whose namespace it is. Server-side apply of the Namespace by field
// manager `flux` leaves it alone (another manager owns it).
import type { Connection } from './connection';
import { detectInstallation } from './detect';
import type { KubeObject } from './objects';

export const NAMESPACE_EXISTED_ANNOTATION = 'flux-bootstrap/namespace-existed';

const pathOf = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}`;

/** Whether the namespace carries the record (false when it is absent). */
export async function namespaceExistedBefore(conn: Connection, namespace: string): Promise<boolean> {
  const ns = await conn.getOrUndefined<KubeObject>(pathOf(namespace), `Namespace/${namespace}`);
  return ns?.metadata.annotations?.[NAMESPACE_EXISTED_ANNOTATION] === 'true';
}

/** Before the first apply: marks a namespace that exists without Flux in it; true when the
 *  namespace is (or was already marked as) the user's. */
export async function recordNamespace(conn: Connection, namespace: string, dryRun = false): Promise<boolean> {
  if (await namespaceExistedBefore(conn, namespace)) return true;
  const found = await detectInstallation(conn, namespace);
  if (found.status !== 'absent' || found.namespaceExists !== true) return false;
  if (!dryRun)
    await conn.request({
      method: 'PATCH',
      path: pathOf(namespace),
      body: { metadata: { annotations: { [NAMESPACE_EXISTED_ANNOTATION]: 'true' } } },
      contentType: 'application/merge-patch+json',
      what: `Namespace/${namespace}`,
    });
  return true;
}
