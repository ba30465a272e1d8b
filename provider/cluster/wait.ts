// waitForReconciliation: poll until Flux has synced the expected commit, as `flux bootstrap`
// waits: the GitRepository, then the Kustomization named after the namespace, then (optionally)
// the controller Deployments. Without a kubelet (test clusters) Deployments never become
// available, so that check can be turned off.
import type { Connection } from './connection';
import { resourcePath } from './discovery';
import { ClusterError } from './errors';
import { inventorySelector } from './inventory';
import type { KubeObject } from './objects';
import { assessDeployment, assessKustomization, assessSource, type Health } from './status';

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
  /** `<branch>@sha1:<commit>`; undefined accepts any revision */
  revision?: string;
  checks?: WaitChecks;
  /** default 5 minutes, as the Flux CLI */
  timeoutMs?: number;
  /** default 2 s */
  pollMs?: number;
  onProgress?: (message: string) => void;
}

export interface WaitResult {
  elapsedMs: number;
  /** one line per object that is ready */
  ready: string[];
}

const GIT_REPOSITORY = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' };
const KUSTOMIZATION = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' };

async function fetchOne(conn: Connection, type: { apiVersion: string; kind: string }, namespace: string, name: string): Promise<KubeObject | string> {
  const info = await conn.discovery.tryResolve(type.apiVersion, type.kind);
  if (!info) return `${type.kind} ${namespace}/${name}: the ${type.kind} API is not installed yet`;
  const obj = await conn.getOrUndefined<KubeObject>(resourcePath(info, namespace, name), `${type.kind}/${namespace}/${name}`);
  return obj ?? `${type.kind} ${namespace}/${name}: not found yet`;
}

/** One round of checks; transient request failures count as pending. */
async function observe(conn: Connection, opts: WaitOptions, name: string): Promise<Health[]> {
  const checks = { deployments: true, gitRepository: true, kustomization: true, ...opts.checks };
  const out: Promise<Health[]>[] = [];
  const pending = (message: string): Health[] => [{ state: 'pending', message }];
  const guard = (p: Promise<Health[]>) => p.catch((err: Error) => pending(`cannot read status: ${err.message}`));
  if (checks.gitRepository) {
    out.push(guard(fetchOne(conn, GIT_REPOSITORY, opts.namespace, name)
      .then((o) => (typeof o === 'string' ? pending(o) : [assessSource(o, opts.revision)]))));
  }
  if (checks.kustomization) {
    out.push(guard(fetchOne(conn, KUSTOMIZATION, opts.namespace, name)
      .then((o) => (typeof o === 'string' ? pending(o) : [assessKustomization(o, opts.revision)]))));
  }
  if (checks.deployments) {
    out.push(guard(conn.request<{ items?: KubeObject[] }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${encodeURIComponent(opts.namespace)}/deployments`,
      query: { labelSelector: inventorySelector(opts.namespace) },
      what: `list Deployments in ${opts.namespace}`,
    }).then((list) => {
      const items = (list?.items ?? []).map((d) => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' }));
      return items.length > 0 ? items.map(assessDeployment) : pending(`no Flux controller Deployments in ${opts.namespace} yet`);
    })));
  }
  return (await Promise.all(out)).flat();
}

export async function waitForReconciliation(conn: Connection, opts: WaitOptions): Promise<WaitResult> {
  const name = opts.name ?? opts.namespace;
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const pollMs = opts.pollMs ?? 2_000;
  const started = Date.now();
  let last = '';
  for (;;) {
    const health = await observe(conn, opts, name);
    const failed = health.filter((h) => h.state === 'failed');
    if (failed.length > 0) {
      throw new ClusterError(
        failed.map((h) => h.message).join('; '),
        'fix the cause the controller reports (flux get all -A, flux logs), then run again',
        { code: 'ReconciliationFailed' },
      );
    }
    const pending = health.filter((h) => h.state !== 'ready');
    if (pending.length === 0) {
      opts.onProgress?.(`reconciled: ${health.map((h) => h.message).join('; ')}`);
      return { elapsedMs: Date.now() - started, ready: health.map((h) => h.message) };
    }
    const summary = pending.map((h) => h.message).join('; ');
    if (summary !== last) opts.onProgress?.(`waiting: ${summary}`);
    last = summary;
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      throw new ClusterError(
        `timed out after ${Math.round(timeoutMs / 1000)}s waiting for Flux to reconcile; still pending: ${summary}`,
        'check that the controllers run (kubectl -n ' + opts.namespace + ' get pods) and what they report (flux logs), or raise the timeout',
        { code: 'ReconciliationTimeout' },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, timeoutMs - elapsed)));
  }
}
