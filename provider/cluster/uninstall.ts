// uninstall, in the order `flux uninstall` follows, with one step more: Flux custom resources
// are suspended before their controllers go, so no controller prunes workloads on the way out.
//   1. suspend Flux custom resources in all namespaces
//   2. delete the controller Deployments
//   3. strip the custom resources' finalizers, so nothing they manage is garbage-collected
//   4. delete the other labelled objects (Services, NetworkPolicies, ServiceAccounts, RBAC, ...)
//   5. delete the CRDs, 6. the namespace unless keepNamespace.
// Missing objects and a missing namespace are fine; an unreachable cluster is reported, not thrown,
// when tolerateUnreachable is set (a cluster deleted before its Flux, a common destroy order).
import type { Connection } from './connection';
import { AggregateClusterError, isNotFound, isUnreachable } from './errors';
import { stripCustomResourceFinalizers } from './finalizers';
import { listInventory } from './inventory';
import { describeObject, type KubeObject } from './objects';
import { mapBounded } from './pool';
import { deleteObject } from './prune';
import { isCrd, isNamespace } from './staging';

export interface UninstallOptions {
  namespace: string;
  /** leave the namespace (and what else lives in it, such as the flux-system Secret) */
  keepNamespace?: boolean;
  /** when the API server cannot be reached, return a report saying so instead of throwing */
  tolerateUnreachable?: boolean;
  dryRun?: boolean;
  concurrency?: number;
  onProgress?: (message: string) => void;
}

export interface UninstallReport {
  suspended: string[];
  finalizersRemoved: string[];
  deleted: string[];
  /** set when the cluster could not be reached and tolerateUnreachable was set */
  unreachable?: string;
}

export async function uninstall(conn: Connection, options: UninstallOptions): Promise<UninstallReport> {
  const report: UninstallReport = { suspended: [], finalizersRemoved: [], deleted: [] };
  const say = (m: string) => options.onProgress?.(m);
  const concurrency = options.concurrency ?? 8;
  const failures: { object: string; error: Error }[] = [];
  const dry = options.dryRun ? ' (dry run)' : '';

  let inventory: KubeObject[];
  try {
    inventory = await listInventory(conn, options.namespace, [], concurrency);
  } catch (err) {
    if (options.tolerateUnreachable && isUnreachable(err, false)) {
      report.unreachable = (err as Error).message;
      say(`skipping uninstall: ${report.unreachable}`);
      return report;
    }
    throw err;
  }
  const crds = inventory.filter(isCrd);
  const deployments = inventory.filter((o) => o.kind === 'Deployment');
  const others = inventory.filter((o) => !isCrd(o) && !isNamespace(o) && o.kind !== 'Deployment');

  const remove = async (objects: KubeObject[]) => {
    const settled = await mapBounded(objects, concurrency, async (obj) => {
      if (await deleteObject(conn, obj, options.dryRun)) {
        report.deleted.push(describeObject(obj));
        say(`${describeObject(obj)} deleted${dry}`);
      }
    });
    settled.forEach((s, i) => { if (!s.ok) failures.push({ object: describeObject(objects[i]), error: s.error }); });
  };
  const eachCrd = async (step: (crd: KubeObject) => Promise<void>) => {
    for (const crd of crds) {
      try { await step(crd); } catch (err) { failures.push({ object: describeObject(crd), error: err as Error }); }
    }
  };

  say(`suspending Flux custom resources of ${crds.length} CRDs in all namespaces`);
  await eachCrd(async (crd) => {
    const r = await stripCustomResourceFinalizers(conn, crd, { suspend: true, stripFinalizers: false, dryRun: options.dryRun, concurrency, onProgress: say });
    report.suspended.push(...r.suspended);
  });
  say(`deleting ${deployments.length} controller Deployments in ${options.namespace}`);
  await remove(deployments);
  say('removing finalizers from Flux custom resources in all namespaces');
  await eachCrd(async (crd) => {
    const r = await stripCustomResourceFinalizers(conn, crd, { suspend: false, dryRun: options.dryRun, concurrency, onProgress: say });
    report.finalizersRemoved.push(...r.finalizersRemoved);
  });
  await remove(others);
  say(`deleting ${crds.length} Flux CRDs`);
  await remove(crds);
  if (!options.keepNamespace) {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: options.namespace } };
    try {
      if (await deleteObject(conn, ns, options.dryRun)) {
        report.deleted.push(describeObject(ns));
        say(`${describeObject(ns)} deleted${dry}`);
      }
    } catch (err) {
      if (!isNotFound(err)) failures.push({ object: describeObject(ns), error: err as Error });
    }
  }
  if (failures.length > 0) throw new AggregateClusterError('uninstall', inventory.length, failures, [report]);
  return report;
}
