// waitForReconciliation: until Flux has synced the expected commit, as `flux bootstrap` waits:
// the GitRepository, then the Kustomization named after the namespace, then (optionally) the
// controller Deployments. Without a kubelet (test clusters) Deployments never become
// available, so that check can be turned off.
//
// It watches the three (one long request each) instead of polling, so it ends the moment Flux
// reports. It ends early, with the remedy, when Flux reports a failure waiting cannot heal
// (flux-failures.ts) or the same retried failure persists; it accepts a newer revision when the
// caller proves it contains the expected commit (others pushed on top).
import type { Connection } from './connection';
import { ClusterError } from './errors';
import { inventorySelector } from './inventory';
import type { KubeObject } from './objects';
import { assessDeployment, assessKustomization, assessSource, normalizeRevision, type Health } from './status';
import { watchCollection, type WatchTarget } from './watch';

export interface WaitChecks {
  /** controller Deployments available (kstatus); default true */
  deployments?: boolean;
  /** GitRepository <ns>/<name> Ready at `revision`; default true */
  gitRepository?: boolean;
  /** Kustomization <ns>/<name> Ready at `revision`; default true */
  kustomization?: boolean;
}

export interface WaitOptions {
  namespace: string;
  /** GitRepository and Kustomization name; default the namespace */
  name?: string;
  /** the source kind the Kustomization pulls from: OCIRepository for a gitless bootstrap
   *  (its revision is `<tag>@sha256:<digest>`); default GitRepository */
  sourceKind?: 'GitRepository' | 'OCIRepository';
  /** its API version; default source.toolkit.fluxcd.io/v1 (OCIRepository is v1beta2 before Flux v2.6) */
  sourceApiVersion?: string;
  /** `<branch>@sha1:<commit>`; undefined accepts any revision */
  revision?: string;
  checks?: WaitChecks;
  /** default 5 minutes, as the Flux CLI */
  timeoutMs?: number;
  /** unused since the wait watches; kept so existing callers compile */
  pollMs?: number;
  onProgress?: (message: string) => void;
  /** Proves that a revision Flux is Ready at (`<branch>@sha1:<commit>`, normalised) contains the
   *  expected commit: someone pushed on top of it. Without it only `revision` itself counts. */
  containsExpected?: (revision: string) => Promise<boolean>;
  /** how long Flux may report the same retried failure before the wait ends; default the
   *  smaller of 2 minutes and half the timeout */
  persistentFailureMs?: number;
}

export interface WaitResult {
  elapsedMs: number;
  /** one line per object that is ready */
  ready: string[];
}

type Slot = { target: WatchTarget; objects?: ReadonlyMap<string, KubeObject>; trouble?: string };

/** What the wait watches (exported for tests). */
export function targets(opts: WaitOptions, name: string): Record<string, WatchTarget> {
  const ns = encodeURIComponent(opts.namespace);
  const checks = { deployments: true, gitRepository: true, kustomization: true, ...opts.checks };
  const out: Record<string, WatchTarget> = {};
  const byName = `metadata.name=${name}`;
  const source = opts.sourceKind ?? 'GitRepository';
  if (checks.gitRepository)
    out.gitRepository = {
      path: `/apis/${opts.sourceApiVersion ?? 'source.toolkit.fluxcd.io/v1'}/namespaces/${ns}/${source === 'OCIRepository' ? 'ocirepositories' : 'gitrepositories'}`,
      fieldSelector: byName,
      what: `${source} ${opts.namespace}/${name}`,
    };
  if (checks.kustomization)
    out.kustomization = {
      path: `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations`,
      fieldSelector: byName,
      what: `Kustomization ${opts.namespace}/${name}`,
    };
  if (checks.deployments)
    out.deployments = {
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
      labelSelector: inventorySelector(opts.namespace),
      what: `Flux controller Deployments in ${opts.namespace}`,
    };
  return out;
}

function judge(
  key: string,
  slot: Slot,
  name: string,
  revision: string | undefined,
  descendants: ReadonlySet<string>,
  sourceKind = 'GitRepository',
): Health[] {
  const pending = (message: string): Health[] => [{ state: 'pending', message }];
  if (!slot.objects) return pending(slot.trouble ?? `${slot.target.what}: not observed yet`);
  if (key === 'deployments') {
    const items = [...slot.objects.values()].map((d) => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' }));
    return items.length > 0 ? items.map(assessDeployment) : pending(`no ${slot.target.what} yet`);
  }
  const obj = slot.objects.get(name);
  if (!obj) return pending(`${slot.target.what}: not found yet`);
  const typed = { ...obj, kind: key === 'gitRepository' ? sourceKind : 'Kustomization' };
  return [key === 'gitRepository' ? assessSource(typed, revision, descendants) : assessKustomization(typed, revision, descendants)];
}

export async function waitForReconciliation(conn: Connection, opts: WaitOptions): Promise<WaitResult> {
  const name = opts.name ?? opts.namespace;
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const persistMs = opts.persistentFailureMs ?? Math.min(120_000, timeoutMs / 2);
  const started = Date.now();
  const slots: Record<string, Slot> = Object.fromEntries(Object.entries(targets(opts, name)).map(([k, t]) => [k, { target: t }]));
  const descendants = new Set<string>();
  const judged = new Set<string>();
  const failingSince = new Map<string, number>();
  const stop = new AbortController();
  let last = '';
  let settle!: { resolve: (r: WaitResult) => void; reject: (e: Error) => void };
  const outcome = new Promise<WaitResult>((resolve, reject) => {
    settle = { resolve, reject };
  });

  const evaluate = (): void => {
    if (stop.signal.aborted) return;
    // judge once every watch has answered (or a few seconds passed): no half-informed progress line
    if (Object.values(slots).some((s) => !s.objects && !s.trouble) && Date.now() - started < 5_000) return;
    const health = Object.entries(slots).flatMap(([k, s]) => judge(k, s, name, opts.revision, descendants, opts.sourceKind));
    const now = Date.now();
    const failed = health.filter((h) => h.state === 'failed');
    for (const h of health) if (h.failure && !failingSince.has(h.failure)) failingSince.set(h.failure, now);
    const persisting = health.filter((h) => h.failure && now - failingSince.get(h.failure)! >= persistMs);
    if (failed.length > 0 || persisting.length > 0) {
      const known = failed.find((h) => h.remedy);
      const message = [
        ...failed.map((h) => h.message),
        ...persisting.map((h) => `${h.message}, unchanged for ${Math.round((now - failingSince.get(h.failure!)!) / 1000)}s`),
      ].join('; ');
      settle.reject(
        new ClusterError(message, known?.remedy ?? 'fix the cause the controller reports (flux get all -A, flux logs), then run again', {
          code: known?.code ?? 'ReconciliationFailed',
        }),
      );
      return;
    }
    for (const h of health) {
      if (!h.revision || !opts.containsExpected || judged.has(h.revision)) continue;
      const rev = h.revision;
      judged.add(rev);
      opts.containsExpected(rev).then(
        (yes) => {
          if (!yes) return;
          descendants.add(normalizeRevision(rev));
          opts.onProgress?.(`${rev} contains ${opts.revision} (committed on top of it)`);
          evaluate();
        },
        (err: Error) => {
          // not proven: keep waiting for the exact revision, and say why once
          opts.onProgress?.(`cannot tell whether ${rev} contains ${opts.revision}: ${err.message}`);
        },
      );
    }
    const pending = health.filter((h) => h.state !== 'ready');
    if (pending.length === 0) {
      opts.onProgress?.(`reconciled: ${health.map((h) => h.message).join('; ')}`);
      settle.resolve({ elapsedMs: now - started, ready: health.map((h) => h.message) });
      return;
    }
    const summary = pending.map((h) => h.message).join('; ');
    if (summary !== last) opts.onProgress?.(`waiting: ${summary}`);
    last = summary;
  };

  for (const slot of Object.values(slots)) {
    void watchCollection(
      conn,
      slot.target,
      {
        onChange(objects) {
          slot.objects = objects;
          slot.trouble = undefined;
          evaluate();
        },
        onTrouble(message) {
          slot.trouble = message;
          evaluate();
        },
      },
      stop.signal,
    );
  }
  // persistence is a matter of time, not of events: look again each second (no request)
  const tick = setInterval(evaluate, 1_000);
  const timer = setTimeout(
    () =>
      settle.reject(
        new ClusterError(
          `timed out after ${Math.round(timeoutMs / 1000)}s waiting for Flux to reconcile; still pending: ${last}`,
          'check that the controllers run (kubectl -n ' +
            opts.namespace +
            ' get pods) and what they report (flux logs), or raise the timeout',
          { code: 'ReconciliationTimeout' },
        ),
      ),
    timeoutMs,
  );
  try {
    return await outcome;
  } finally {
    clearInterval(tick);
    clearTimeout(timer);
    stop.abort();
  }
}
