// What the Flux controllers say about a bootstrap: the GitRepository and Kustomization named
// after the namespace, their Ready conditions and revisions, and waiting for both to be Ready
// at a given commit, with the moment each became so (for timings).
import type { KubeRest } from './kube-rest';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface FluxObjectStatus {
  exists: boolean;
  ready?: string;
  reason?: string;
  message?: string;
  generation?: number;
  observedGeneration?: number;
  /** GitRepository: status.artifact.revision; Kustomization: status.lastAppliedRevision */
  revision?: string;
  /** Kustomization: status.lastAttemptedRevision */
  attemptedRevision?: string;
}

export interface FluxStatus {
  gitRepository: FluxObjectStatus;
  kustomization: FluxObjectStatus;
}

export const GIT_REPOSITORIES = 'source.toolkit.fluxcd.io/v1';
export const KUSTOMIZATIONS = 'kustomize.toolkit.fluxcd.io/v1';

export function gitRepositoryPath(namespace: string, name = namespace): string {
  return `/apis/${GIT_REPOSITORIES}/namespaces/${namespace}/gitrepositories/${name}`;
}

export function kustomizationPath(namespace: string, name = namespace): string {
  return `/apis/${KUSTOMIZATIONS}/namespaces/${namespace}/kustomizations/${name}`;
}

function summarize(obj: any, revision: (o: any) => string | undefined): FluxObjectStatus {
  if (!obj) return { exists: false };
  const ready = ((obj.status?.conditions ?? []) as Condition[]).find((c) => c.type === 'Ready');
  return {
    exists: true,
    ready: ready?.status,
    reason: ready?.reason,
    message: ready?.message,
    generation: obj.metadata?.generation,
    observedGeneration: obj.status?.observedGeneration,
    revision: revision(obj),
    attemptedRevision: obj.status?.lastAttemptedRevision,
  };
}

export async function fluxStatus(rest: KubeRest, namespace: string, name = namespace): Promise<FluxStatus> {
  // a missing CRD (before install, after uninstall) reads as a missing object
  const read = (p: string) => rest.get(p).catch(() => null);
  const [repo, ks] = await Promise.all([read(gitRepositoryPath(namespace, name)), read(kustomizationPath(namespace, name))]);
  return {
    gitRepository: summarize(repo, (o) => o.status?.artifact?.revision),
    kustomization: summarize(ks, (o) => o.status?.lastAppliedRevision),
  };
}

/** Ready=True for the current generation at `revision` (`<branch>@sha1:<commit>`). */
export function readyAt(s: FluxObjectStatus, revision: string): boolean {
  return s.exists && s.ready === 'True' && s.observedGeneration === s.generation && s.revision === revision;
}

export function describeStatus(s: FluxObjectStatus): string {
  if (!s.exists) return 'absent';
  return `Ready=${s.ready ?? '?'}${s.reason ? ` (${s.reason})` : ''} revision=${s.revision ?? '-'}${s.message ? `: ${s.message}` : ''}`;
}

export interface Reconciled {
  status: FluxStatus;
  /** Date.now() of the first poll that saw each object */
  gitRepositoryCreatedAt: number;
  gitRepositoryReadyAt: number;
  kustomizationReadyAt: number;
}

/**
 * Polls (every `everyMs`) until the GitRepository and then the Kustomization are Ready at
 * `revision`. `onChange` hears every new status line (for progress output). Times out with
 * the last status of both.
 */
export async function waitForReconciled(
  rest: KubeRest,
  opts: {
    namespace: string;
    name?: string;
    revision: string;
    timeoutMs?: number;
    everyMs?: number;
    onChange?: (what: 'GitRepository' | 'Kustomization', line: string) => void;
  },
): Promise<Reconciled> {
  const { namespace, revision } = opts;
  const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
  const seen = { GitRepository: '', Kustomization: '' };
  let createdAt = 0;
  let repoReadyAt = 0;
  for (;;) {
    const status = await fluxStatus(rest, namespace, opts.name);
    const now = Date.now();
    if (status.gitRepository.exists && !createdAt) createdAt = now;
    if (!repoReadyAt && readyAt(status.gitRepository, revision)) repoReadyAt = now;
    for (const [what, s] of [
      ['GitRepository', status.gitRepository],
      ['Kustomization', status.kustomization],
    ] as const) {
      const line = describeStatus(s);
      if (line !== seen[what]) {
        seen[what] = line;
        opts.onChange?.(what, line);
      }
    }
    if (repoReadyAt && readyAt(status.kustomization, revision)) {
      return { status, gitRepositoryCreatedAt: createdAt, gitRepositoryReadyAt: repoReadyAt, kustomizationReadyAt: now };
    }
    if (now > deadline) {
      throw new Error(
        `Flux did not reconcile ${revision} in ${namespace} within ${(opts.timeoutMs ?? 180_000) / 1000} s: ` +
          `GitRepository ${describeStatus(status.gitRepository)}; Kustomization ${describeStatus(status.kustomization)}`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 100));
  }
}
