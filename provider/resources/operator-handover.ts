// The move from a classic bootstrap to the Flux Operator, without downtime. In a classic
// bootstrap the Kustomization <ns>/<ns> applied Flux itself (gotk-components.yaml,
// gotk-sync.yaml) and prunes what leaves its path. The move commit replaces those files with the
// FluxInstance manifest, so at that commit every Flux object is stale to that Kustomization, and
// it would delete those still carrying its labels: the operator strips the labels when it takes
// over, but the Kustomization may re-apply the old commit (it does when the operator rewrites
// its spec) and put them back. So before anything else the objects it applied get
// `kustomize.toolkit.fluxcd.io/prune: disabled`, which its garbage collection honours, under a
// field manager of their own; once Flux has reconciled the move commit (the stale entries are
// out of its inventory), the same manager applies nothing and the annotation is gone.
import type { Connection, KubeObject } from '../cluster';
import { describe } from './install-state';

/** field manager of the guards only, so that releasing them removes nothing else */
export const HANDOVER_MANAGER = 'flux-bootstrap-handover';
const PRUNE = 'kustomize.toolkit.fluxcd.io/prune';

export interface Guarded {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

interface Kustomization extends KubeObject {
  status?: { inventory?: { entries?: { id: string; v: string }[] } };
}

/** `<namespace>_<name>_<group>_<kind>` (Flux's inventory id) -> an object reference. */
export function parseInventoryId(id: string, version: string): Guarded | undefined {
  const parts = id.split('_');
  if (parts.length !== 4) return undefined;
  const [namespace, name, group, kind] = parts;
  return { apiVersion: group ? `${group}/${version}` : version, kind, name, ...(namespace ? { namespace } : {}) };
}

/** The classic bootstrap's Kustomization in `ns`, when there is one the operator does not own yet. */
export async function classicKustomization(conn: Connection, ns: string): Promise<Kustomization | undefined> {
  const k = await conn.getOrUndefined<Kustomization>(
    `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${encodeURIComponent(ns)}/kustomizations/${encodeURIComponent(ns)}`,
  );
  const owned = Object.keys(k?.metadata.labels ?? {}).some((l) => l.startsWith('fluxcd.controlplane.io/'));
  return k && !owned ? k : undefined;
}

async function applyAnnotation(conn: Connection, g: Guarded, annotations: Record<string, string> | undefined): Promise<void> {
  const info = await conn.discovery.tryResolve(g.apiVersion, g.kind);
  if (!info) return;
  const { resourcePath } = require('../cluster/discovery') as typeof import('../cluster/discovery');
  const body = {
    apiVersion: g.apiVersion,
    kind: g.kind,
    metadata: { name: g.name, ...(g.namespace ? { namespace: g.namespace } : {}), ...(annotations ? { annotations } : {}) },
  };
  try {
    await conn.request({
      method: 'PATCH',
      path: resourcePath(info, g.namespace, g.name),
      query: { fieldManager: HANDOVER_MANAGER, force: true },
      contentType: 'application/apply-patch+yaml',
      body,
      what: describe(g),
    });
  } catch (e) {
    // gone already: nothing to guard or release
    if ((e as { status?: number }).status !== 404) throw e;
  }
}

/**
 * Guards what a classic Kustomization in `ns` applied against its own prune; returns the
 * guarded objects (none when no classic bootstrap runs there).
 */
export async function guardClassicFlux(conn: Connection, ns: string, say: (m: string) => void): Promise<Guarded[]> {
  const k = await classicKustomization(conn, ns);
  if (!k) return [];
  const guarded = (k.status?.inventory?.entries ?? []).map((e) => parseInventoryId(e.id, e.v)).filter((g): g is Guarded => !!g);
  for (const g of guarded) await applyAnnotation(conn, g, { [PRUNE]: 'disabled' });
  say(
    `a classic bootstrap runs in ${ns}: ${guarded.length} objects its Kustomization applied are kept from its prune until the move is reconciled`,
  );
  return guarded;
}

/** Takes the guards off again (after the move commit is reconciled). */
export async function releaseGuards(conn: Connection, guarded: readonly Guarded[], say: (m: string) => void): Promise<void> {
  for (const g of guarded) await applyAnnotation(conn, g, undefined);
  if (guarded.length) say(`released the prune guards of ${guarded.length} objects`);
}

/** Whether the Flux of `ns` is now the operator's: a FluxInstance reconciles it (the move happened). */
export async function handedOverToOperator(conn: Connection, ns: string): Promise<boolean> {
  const fi = await conn
    .getOrUndefined<KubeObject>(`/apis/fluxcd.controlplane.io/v1/namespaces/${encodeURIComponent(ns)}/fluxinstances/flux`)
    .catch(() => undefined);
  return !!fi && !fi.metadata.deletionTimestamp;
}
