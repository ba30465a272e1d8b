// What OperatorInstall and FluxInstance share: the cluster connection, per-object hashes and
// plans, and a wait for one Deployment's rollout.
import type { Connection, ConnectionSpec, KubeObject } from '../cluster';
import { ClusterError } from '../cluster/errors';
import { stableJson } from './common';
import { describe, sha256 } from './install-state';

export const cluster = () => require('../cluster') as typeof import('../cluster');

export interface OperatorWaitInputs {
  /** wait until the Deployment(s) report available (default true; false for clusters without nodes) */
  deployments?: boolean;
  /** how long, in seconds (default 300) */
  timeoutSeconds?: number;
}

export async function withConnection<T>(spec: ConnectionSpec, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await cluster().connect(spec);
  try {
    return await fn(conn);
  } finally {
    conn.close();
  }
}

/** The secret values of a connection spec, for scrubbing messages. */
export function clusterSecrets(spec: ConnectionSpec | undefined): (string | undefined)[] {
  const c = spec as Record<string, unknown> | undefined;
  return [c?.token, c?.clientKeyPem, c?.kubeconfig].map((v) => (typeof v === 'string' ? v : undefined));
}

export const refOf = (o: KubeObject) => describe({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });

/** `Kind/ns/name` -> hash of the object. */
export function hashesOf(objects: readonly KubeObject[]): Record<string, string> {
  return Object.fromEntries(objects.map((o) => [refOf(o), sha256(stableJson(o))]));
}

export function hashOf(objects: readonly KubeObject[]): string {
  return sha256(stableJson(objects));
}

export function summarize(results: { action: string }[]): string {
  const n = (a: string) => results.filter((r) => r.action === a).length;
  return `${n('created')} created, ${n('configured')} configured, ${n('unchanged')} unchanged`;
}

/** Waits until a Deployment's rollout is available (kstatus), polling once a second. */
export async function waitForDeployment(
  conn: Connection,
  namespace: string,
  name: string,
  timeoutMs: number,
  say: (m: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const live = await conn.getOrUndefined<KubeObject>(
      `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`,
    );
    const health = live
      ? cluster().assessDeployment(live)
      : { state: 'pending', message: `Deployment ${namespace}/${name} does not exist` };
    if (health.state === 'ready') return;
    if (health.state === 'failed') throw new ClusterError(health.message, 'look at the Deployment and its pods (kubectl describe)');
    if (health.message !== last) say(`waiting: ${health.message}`);
    last = health.message;
    if (Date.now() > deadline)
      throw new ClusterError(
        `Deployment ${namespace}/${name} not available after ${Math.round(timeoutMs / 1000)} s: ${health.message}`,
        'check the pod (image pull, scheduling), or set wait.deployments: false on a cluster without nodes',
      );
    await new Promise((r) => setTimeout(r, 1000));
  }
}
