// uninstall, in the order `flux uninstall` follows (flux2 pkg/uninstall: components, finalizers,
// CRDs, namespace), with a suspend first, deleting only what this instance applied (its record,
// install-record.ts; never a sweep by label or namespace):
//   1. suspend this instance's Flux custom resources (instance-ownership.ts says which), so no
//      controller still running prunes anything on the way out
//   2. delete the controller Deployments
//   3. strip those custom resources' finalizers and delete them: nothing they applied is
//      garbage-collected, workloads stay
//   4. delete the other recorded objects (Services, NetworkPolicies, ServiceAccounts, RBAC, the
//      Secrets), except those that were there before the install
//   5. delete the Flux CRDs, unless another Flux instance or custom resources outside this
//      instance still need them, as read just before (release-crds.ts)
//   6. delete the namespace unless keepNamespace, or it was there before the install.
// Missing objects and a missing namespace are fine; an unreachable cluster is reported, not thrown,
// when tolerateUnreachable is set (a cluster deleted before its Flux, a common destroy order).
import type { Connection } from './connection';
import { AggregateClusterError, isNotFound, isUnreachable } from './errors';
import type { InstallRecord } from './install-record';
import { readOwnership, type Claim, type Ownership } from './instance-ownership';
import { listInventory } from './inventory';
import { describeObject, describeRef, type KubeObject, type ObjectRef } from './objects';
import { mapBounded } from './pool';
import { deleteObject } from './prune';
import { releaseCrds } from './release-crds';
import { stripFinalizers, suspendResources, type ReleaseResult } from './release-custom-resources';

export interface UninstallOptions {
  namespace: string;
  /** what the install applied (ControllerInstall's state). Without it: the objects Flux's
   *  install labels for the instance, and the sync objects named after the namespace. */
  record?: InstallRecord;
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

const SYNC_KINDS = ['GitRepository', 'OCIRepository', 'Kustomization'];

/** The record of an install made by others: Flux's labels, and `flux bootstrap`'s sync objects. */
async function labelledRecord(conn: Connection, namespace: string, concurrency: number): Promise<InstallRecord> {
  const labelled = await listInventory(conn, namespace, [], concurrency);
  const sync = SYNC_KINDS.map((kind) => ({ apiVersion: '', kind, namespace, name: namespace }));
  return {
    applied: [
      ...labelled.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })),
      ...sync,
    ],
  };
}

const asObject = (r: ObjectRef): KubeObject => ({
  apiVersion: r.apiVersion,
  kind: r.kind,
  metadata: { name: r.name, namespace: r.namespace },
});

export async function uninstall(conn: Connection, options: UninstallOptions): Promise<UninstallReport> {
  const report: UninstallReport = { suspended: [], finalizersRemoved: [], deleted: [] };
  const say = (m: string) => options.onProgress?.(m);
  const concurrency = options.concurrency ?? 8;
  const failures: { object: string; error: Error }[] = [];
  const dry = options.dryRun ? ' (dry run)' : '';
  const ns = options.namespace;
  const keepNs = options.keepNamespace === true || options.record?.namespaceExisted === true;

  let record: InstallRecord;
  let claim: Claim;
  let ownership: Ownership;
  try {
    record = options.record ?? (await labelledRecord(conn, ns, concurrency));
    claim = { namespace: ns, recorded: record.applied.map(describeRef), wholeNamespace: !keepNs };
    ownership = await readOwnership(conn, claim, concurrency);
  } catch (err) {
    if (options.tolerateUnreachable && isUnreachable(err, false)) {
      report.unreachable = (err as Error).message;
      say(`skipping uninstall: ${report.unreachable}`);
      return report;
    }
    throw err;
  }
  const before = new Set(record.existedBefore ?? []);
  const customKinds = new Set(ownership.crds.map((c) => (c.spec as { names?: { kind?: string } } | undefined)?.names?.kind));
  const ours = record.applied.filter(
    (r) =>
      !before.has(describeRef(r)) &&
      r.apiVersion !== '' &&
      !customKinds.has(r.kind) &&
      // kept with the namespace that keeps them (keepNamespace: the flux-system Secret stays too)
      !(r.kind === 'Secret' && options.keepNamespace === true),
  );
  const deployments = ours.filter((r) => r.kind === 'Deployment').map(asObject);
  const others = ours.filter((r) => !['Deployment', 'Namespace', 'CustomResourceDefinition'].includes(r.kind)).map(asObject);
  const crds = ours.filter((r) => r.kind === 'CustomResourceDefinition').map(asObject);

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

  const released = await releaseCrds(conn, claim, crds, release);
  report.deleted.push(...released.deleted);
  failures.push(...released.failures);
  if (released.kept) report.crdsKept = released.kept;
  if (!keepNs) {
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
  if (failures.length > 0) throw new AggregateClusterError('uninstall', record.applied.length, failures, [report]);
  return report;
}
