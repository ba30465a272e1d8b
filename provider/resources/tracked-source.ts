// Where Flux pulls from, once a kustomization.yaml the user committed patches the sync objects:
// another branch, a tag, a semver range, a commit, another URL, path or interval. Flux applies
// the patched GitRepository and Kustomization itself (kustomize-controller builds that
// kustomization.yaml), so what it tracks is what the patched objects say, not where SyncManifests
// commits. Pure: the patched rendering is compared with the unpatched one.
import type { KubeObject } from '../cluster';
import type { DesiredState } from '../desired-state';
import { objectsOf } from './install-state';

export type RefKind = 'commit' | 'name' | 'semver' | 'tag' | 'branch';

export interface TrackedSource {
  /** what the GitRepository follows, by source-controller's precedence */
  ref: { kind: RefKind; value: string };
  url: string;
  /** the Kustomization's path */
  path: string;
}

export interface SourceMove {
  tracked: TrackedSource;
  pushed: TrackedSource;
  /** Flux fetches another ref or URL than the one SyncManifests commits to */
  refMoved: boolean;
  /** one phrase per difference, e.g. `branch "staging" (not "main")` */
  changes: string[];
  /** the patched object, `GitRepository/<ns>/<ns>` */
  patched: string;
}

// source-controller: commit over name over semver over tag over branch
const PRECEDENCE: RefKind[] = ['commit', 'name', 'semver', 'tag', 'branch'];

type Spec = { url?: string; interval?: string; path?: string; ref?: Partial<Record<RefKind, string>> };
const specOf = (o: KubeObject | undefined) => (o?.spec ?? {}) as Spec;

function syncPair(d: DesiredState, namespace: string): { source?: KubeObject; kustomization?: KubeObject } {
  const find = (kind: string) =>
    objectsOf(d).find((o) => o.kind === kind && o.metadata.name === namespace && o.metadata.namespace === namespace);
  return { source: find('GitRepository'), kustomization: find('Kustomization') };
}

function trackedOf(d: DesiredState, namespace: string): TrackedSource | undefined {
  const { source, kustomization } = syncPair(d, namespace);
  if (!source) return undefined;
  const s = specOf(source);
  const kind = PRECEDENCE.find((k) => s.ref?.[k]) ?? 'branch';
  return { ref: { kind, value: s.ref?.[kind] ?? '' }, url: s.url ?? '', path: specOf(kustomization).path ?? '' };
}

export const describeRef = (r: TrackedSource['ref']) => (r.kind === 'commit' ? `commit ${r.value}` : `${r.kind} "${r.value}"`);

/** How the patched sync objects (`patched`) differ from the plain rendering (`plain`); undefined when they do not. */
export function sourceMove(patched: DesiredState, plain: DesiredState, namespace: string): SourceMove | undefined {
  const tracked = trackedOf(patched, namespace);
  const pushed = trackedOf(plain, namespace);
  if (!tracked || !pushed) return undefined;
  const changes: string[] = [];
  const refMoved = tracked.ref.kind !== pushed.ref.kind || tracked.ref.value !== pushed.ref.value;
  if (refMoved) changes.push(`${describeRef(tracked.ref)} (not ${describeRef(pushed.ref)})`);
  if (tracked.url !== pushed.url) changes.push(`url ${tracked.url} (not ${pushed.url})`);
  if (tracked.path !== pushed.path) changes.push(`path ${tracked.path} (not ${pushed.path})`);
  const after = syncPair(patched, namespace);
  const before = syncPair(plain, namespace);
  for (const [what, a, b] of [
    ['GitRepository', after.source, before.source],
    ['Kustomization', after.kustomization, before.kustomization],
  ] as const)
    if (specOf(a).interval !== specOf(b).interval) changes.push(`${what} interval ${specOf(a).interval} (not ${specOf(b).interval})`);
  if (changes.length === 0) return undefined;
  return { tracked, pushed, refMoved: refMoved || tracked.url !== pushed.url, changes, patched: `GitRepository/${namespace}/${namespace}` };
}

/** The sentence a preview and an install print. */
export function moveNotice(m: SourceMove, directory: string): string {
  return `Flux will pull from ${m.changes.join(', ')}: the kustomization.yaml committed in ${directory} patches its sync objects, and Flux applies them so`;
}
