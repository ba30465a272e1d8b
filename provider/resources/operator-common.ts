// What OperatorInstall and FluxInstance share: the cluster connection, the check on the cluster
// and wait inputs, per-object hashes and plans, and a wait for one Deployment's rollout.
import type { Connection, ConnectionSpec, KubeObject } from '../cluster';
import { connectionKind } from '../cluster/connection-spec';
import { ClusterError } from '../cluster/errors';
import { InputError } from '../errors';
import { hasUnknown, stableJson } from './common';
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

/** The cluster input and a wait input, as every cluster resource checks them. */
export function checkClusterAndWait(p: Record<string, unknown>, waitFields: readonly string[]): InputError[] {
  const errors: InputError[] = [];
  if (p.cluster === undefined)
    errors.push(
      new InputError({
        field: 'cluster',
        value: undefined,
        reason: 'a value is required',
        remedy: 'give {kubeconfig} (content), {kubeconfigPath} or {host, caPem, token}',
      }),
    );
  else if (!hasUnknown(p.cluster)) {
    try {
      connectionKind(p.cluster as ConnectionSpec);
    } catch (e) {
      if (!(e instanceof ClusterError)) throw e;
      errors.push(new InputError({ field: 'cluster', value: p.cluster, reason: e.reason, remedy: e.remedy, secret: true }));
    }
  }
  const w = p.wait as Record<string, unknown> | undefined;
  if (w !== undefined && !hasUnknown(w)) {
    for (const f of waitFields)
      if (w[f] !== undefined && typeof w[f] !== 'boolean')
        errors.push(new InputError({ field: `wait.${f}`, value: w[f], reason: 'must be a boolean', remedy: 'use true or false' }));
    const t = w.timeoutSeconds;
    if (t !== undefined && (typeof t !== 'number' || !(t > 0)))
      errors.push(
        new InputError({ field: 'wait.timeoutSeconds', value: t, reason: 'must be a positive number of seconds', remedy: 'use e.g. 300' }),
      );
  }
  return errors;
}

export function booleanProblems(p: Record<string, unknown>, fields: readonly string[]): InputError[] {
  return fields
    .filter((f) => p[f] !== undefined && !hasUnknown(p[f]) && typeof p[f] !== 'boolean')
    .map((f) => new InputError({ field: f, value: p[f], reason: 'must be a boolean', remedy: 'use true or false' }));
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
