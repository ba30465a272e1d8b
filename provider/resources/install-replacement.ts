// When ControllerInstall is replaced rather than updated, and in which order.
// - Another API server in `cluster`: install on the new cluster first, then uninstall from the
//   old one (create before delete: the old install stays until the new one is in place).
// - Another `namespace` on the same cluster: the old install goes first; its uninstall keeps the
//   CRDs only while something else uses them, so the new install re-applies them cleanly.
// Credentials for the same server (a rotated token, another kubeconfig file) are an update.
import { serverOf } from '../cluster/server-of';
import type { ConnectionSpec } from '../cluster';
import { text } from '../text';
import { hasUnknown, stableJson } from './common';

const nsOf = (p: Record<string, unknown>) => text(p.namespace ?? 'flux-system');

/** The server the install was made on: recorded since this change, else read from the id
 *  (`<server>/<namespace>`). */
export function recordedServer(id: string, olds: Record<string, unknown>): string | undefined {
  if (typeof olds.server === 'string' && olds.server) return olds.server;
  const suffix = `/${nsOf(olds)}`;
  return id && id.endsWith(suffix) ? id.slice(0, -suffix.length) : undefined;
}

/** The new server when it is known and differs from the recorded one. */
export function movedTo(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): string | undefined {
  if (hasUnknown(news.cluster)) return undefined;
  // the same inline connection as at the last apply names the server recorded then (a
  // kubeconfigPath may now hold another file, so that is read again)
  const spec = news.cluster as ConnectionSpec | undefined;
  if (typeof olds.server === 'string' && spec && !spec.kubeconfigPath && stableJson(spec) === stableJson(olds.cluster)) return undefined;
  const before = recordedServer(id, olds);
  const after = serverOf(spec);
  return before && after && before !== after ? after : undefined;
}

export function replacement(
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): { replaces: string[]; deleteBeforeReplace: boolean } {
  const moved = movedTo(id, olds, news) !== undefined;
  const replaces = [...(moved ? ['cluster'] : []), ...(nsOf(olds) !== nsOf(news) ? ['namespace'] : [])];
  return { replaces, deleteBeforeReplace: !moved };
}
