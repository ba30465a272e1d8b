// uninstall, in the order `flux uninstall` follows (flux2 pkg/uninstall: components, finalizers,
// CRDs, namespace), with a suspend first, and touching only this instance:
//   1. suspend this instance's Flux custom resources (instance-ownership.ts says which), so no
//      controller still running prunes anything on the way out
//   2. delete the controller Deployments
//   3. strip those custom resources' finalizers and delete them: nothing they applied is
//      garbage-collected, workloads stay
//   4. delete the other labelled objects (Services, NetworkPolicies, ServiceAccounts, RBAC, ...)
//   5. delete the Flux CRDs, unless another Flux instance or custom resources outside this
//      instance still need them (then they are kept, and the report says why)
//   6. delete the namespace unless keepNamespace.
// Missing objects and a missing namespace are fine; an unreachable cluster is reported, not thrown,
// when tolerateUnreachable is set (a cluster deleted before its Flux, a common destroy order).
import type { Connection } from './connection';
import { AggregateClusterError, isNotFound, isUnreachable } from './errors';
import { readOwnership } from './instance-ownership';
import { listInventory } from './inventory';
import { describeObject, type KubeObject } from './objects';
import { mapBounded } from './pool';
import { deleteObject } from './prune';
import { releaseCrds } from './release-crds';
import { stripFinalizers, suspendResources, type ReleaseResult } from './release-custom-resources';
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
  /** set when the Flux CRDs were left in place: their names and why */
  crdsKept?: { crds: string[]; reason: string };
  /** set when the cluster could not be reached and tolerateUnreachable was set */
  unreachable?: string;
}

export async function uninstall(conn: Connection, options: UninstallOptions): Promise<UninstallReport> {
  const report: UninstallReport = { suspended: [], finalizersRemoved: [], deleted: [] };
  const say = (m: string) => options.onProgress?.(m);
  const concurrency = options.concurrency ?? 8;
  const failures: { object: string; error: Error }[] = [];
  const dry = options.dryRun ? ' (dry run)' : '';
  const ns = options.namespace;

  let inventory: KubeObject[];
  try {
    inventory = await listInventory(conn, ns, [], concurrency);
  } catch (err) {
    if (options.tolerateUnreachable && isUnreachable(err, false)) {
      report.unreachable = (err as Error).message;
      say(`skipping uninstall: ${report.unreachable}`);
      return report;
    }
    throw err;
  }
  const ownership = await readOwnership(conn, ns, concurrency);
  const deployments = inventory.filter((o) => o.kind === 'Deployment');
  const others = inventory.filter((o) => !isCrd(o) && !isNamespace(o) && o.kind !== 'Deployment');

  const remove = async (objects: KubeObject[]) => {
    const settled = await mapBounded(objects, concurrency, async (obj) => {
      if (await deleteObject(conn, obj, options.dryRun)) {
        report.deleted.push(describeObject(obj));
        say(`${describeObject(obj)} deleted${dry}`);
      }
    });
    settled.forEach((s, i) => {
      if (!s.ok) failures.push({ object: describeObject(objects[i]), error: s.error });
    });
  };
  const collect = (r: ReleaseResult, into: string[]) => {
    into.push(...r.done);
    failures.push(...r.failures);
  };
  const release = { dryRun: options.dryRun, concurrency, onProgress: say };

  say(`suspending the Flux custom resources of ${ns}`);
  collect(await suspendResources(conn, ownership.ours, release), report.suspended);
  say(`deleting ${deployments.length} controller Deployments in ${ns}`);
  await remove(deployments);
  say(`removing finalizers from the Flux custom resources of ${ns}`);
  collect(await stripFinalizers(conn, ownership.ours, release), report.finalizersRemoved);
  await remove(ownership.ours.map((cr) => cr.object));
  await remove(others);

  const crds = await releaseCrds(conn, ns, inventory.filter(isCrd), ownership, release);
  report.deleted.push(...crds.deleted);
  failures.push(...crds.failures);
  if (crds.kept) report.crdsKept = crds.kept;
  if (!options.keepNamespace) {
    const nsObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
    try {
      if (await deleteObject(conn, nsObject, options.dryRun)) {
        report.deleted.push(describeObject(nsObject));
        say(`${describeObject(nsObject)} deleted${dry}`);
      }
    } catch (err) {
      if (!isNotFound(err)) failures.push({ object: describeObject(nsObject), error: err as Error });
    }
  }
  if (failures.length > 0) throw new AggregateClusterError('uninstall', inventory.length, failures, [report]);
  return report;
}
