// ControllerInstall: the Flux controllers, the source Secret and the sync objects in a cluster,
// applied the way `flux bootstrap` does (staged server-side apply, field manager flux), then a
// wait until Flux has reconciled the commit. check renders and hashes the objects, so diff needs
// no cluster; refresh GETs the objects that matter; a failure midway keeps partial state.
import type * as dyn from '@pulumi/pulumi/dynamic';
import type { Connection, KubeObject } from '../cluster';
import { resourcePath } from '../cluster/discovery';
import { ClusterError } from '../cluster/errors';
import type { DesiredState } from '../desired-state';
import { text } from '../text';
import { compact, PartialStateError, progress, scrubbed } from './common';
import { withoutStamp } from './check-memo';
import {
  nsOf,
  optionsOf,
  optionsOfOutputs,
  type ControllerInstallInputs,
  type ControllerInstallOutputs,
} from './controller-install-inputs';
import { renderDesired } from './engine-options';
import { revisionContains } from './revision-ancestry';
import { describe, judgeDrift, objectsHash, objectsOf, secretsOf, splitObjects, watchedOf, type Watched } from './install-state';
import { ociWait } from './oci-install';
import { handedOverToOperator } from './operator-handover';
import { foundInPlace, recordOf } from './install-record';
import { branchToWaitOn } from './source-follow';
import { findInstall, refuse } from './found-install';

import { changedSettings } from './controller-install-check';

export { check, diff } from './controller-install-check';
export type { ControllerInstallInputs, ControllerInstallOutputs, WaitInputs } from './controller-install-inputs';

const WHO = 'ControllerInstall';
// loaded on use: check and diff need no cluster client
const cluster = () => require('../cluster') as typeof import('../cluster');
const records = () => require('../cluster/namespace-record') as typeof import('../cluster/namespace-record');
const defaultComponents = () => (require('../../schema/fields') as typeof import('../../schema/fields')).COMPONENTS_DEFAULT;
const say = (m: string) => progress(WHO, m);
const secretsIn = (p: ControllerInstallInputs) => [
  p.credentials?.privateKey,
  p.credentials?.passphrase,
  p.credentials?.password,
  p.credentials?.bearerToken,
  p.cluster?.token as string | undefined,
  p.cluster?.clientKeyPem as string | undefined,
  p.cluster?.kubeconfig as string | undefined,
  p.registryCredentials as string | undefined,
];

async function withConnection<T>(p: ControllerInstallInputs, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await cluster().connect(p.cluster!);
  try {
    return await fn(conn);
  } finally {
    conn.close();
  }
}

/** Applies what is needed, step by step; a failure keeps what was done as partial state. */
async function install(
  conn: Connection,
  id: string,
  p: ControllerInstallInputs,
  prior?: ControllerInstallOutputs,
): Promise<ControllerInstallOutputs> {
  const d = await renderDesired(optionsOf(p), p);
  const hash = objectsHash(d);
  const { components, sync } = splitObjects(d);
  const secrets = secretsOf(d, p.credentials ?? {}, p.registryCredentials as string | undefined);
  const live = new Map<string, KubeObject>();
  // a first install into a namespace the user made: what it finds there already is the user's
  const found: string[] | undefined = !prior && p.namespaceExisted === true ? [] : undefined;
  const base = (): ControllerInstallOutputs => ({
    ...p,
    version: d.version,
    components: [
      ...((p.components as string[] | undefined) ?? defaultComponents()),
      ...((p.componentsExtra as string[] | undefined) ?? []),
    ],
    objectsHash: '',
    inventory: [...objectsOf(d), ...secrets].map((x) => describe({ kind: x.kind, namespace: x.metadata.namespace, name: x.metadata.name })),
    existedBefore: found ? [...found].sort() : (p.existedBefore as string[] | undefined),
    watched: watchedOf(d, live),
    revision: prior?.revision ?? '',
    drift: [],
  });
  // a kustomization.yaml of the user's may move Flux elsewhere: wait there, or fail before writing
  const waitBranch = p.commit && d.sourceKind === 'git' ? await branchToWaitOn(p, d, say) : text(p.branch ?? 'main');
  let step = 'apply the controllers';
  try {
    const objectsChanged = !prior || prior.objectsHash !== hash || (prior.drift ?? []).length > 0;
    if (objectsChanged) {
      const r1 = await cluster().applyObjects(conn, components, { onProgress: say });
      for (const r of r1) if (r.live) live.set(r.object, r.live);
      found?.push(...foundInPlace(r1, nsOf(p)));
      say(`controllers: ${summarize(r1)}`);
    }
    step = 'apply the source secret';
    for (const s of secrets) {
      const r = await cluster().applySecret(conn, s);
      found?.push(...foundInPlace([r], nsOf(p)));
      if (r.action !== 'unchanged') say(`${r.object} ${r.action}`);
    }
    step = 'apply the sync objects';
    if (objectsChanged) {
      const r2 = await cluster().applyObjects(conn, sync, { onProgress: say });
      for (const r of r2) if (r.live) live.set(r.object, r.live);
      found?.push(...foundInPlace(r2, nsOf(p)));
      say(`sync: ${summarize(r2)}`);
    }
    if (prior && prior.objectsHash !== hash) {
      step = 'prune objects no longer desired';
      const inventory = await cluster().listInventory(conn, nsOf(p), objectsOf(d));
      const pruned = await cluster().prune(conn, { namespace: nsOf(p), desired: objectsOf(d), inventory, onProgress: say });
      if (pruned.deleted.length) say(`pruned ${pruned.deleted.join(', ')}`);
    }
    const w = p.wait ?? {};
    let revision = prior?.revision ?? '';
    if (w.reconciliation !== false && p.commit) {
      step = 'wait for Flux to reconcile';
      const oci = d.sourceKind === 'oci' ? ociWait(d, text(p.url), p.commit) : undefined;
      const expected = oci ? oci.revision : `${waitBranch}@sha1:${p.commit}`;
      say(`waiting for ${expected}`);
      await cluster().waitForReconciliation(conn, {
        namespace: nsOf(p),
        revision: expected,
        checks: { deployments: w.deployments !== false },
        timeoutMs: (w.timeoutSeconds ?? 300) * 1000,
        onProgress: say,
        sourceKind: oci?.sourceKind,
        sourceApiVersion: oci?.sourceApiVersion,
        // others commit on top of ours (workloads, the fleet's other clusters): their commits count
        containsExpected: !oci && typeof p.url === 'string' ? revisionContains(p.url, waitBranch, p.credentials, p.commit) : undefined,
      });
      revision = expected;
    }
    const watched = objectsChanged ? watchedOf(d, live) : prior.watched;
    return { ...base(), objectsHash: hash, watched, revision };
  } catch (e) {
    const reason = `could not ${step}: ${(e as Error).message}`;
    const partial = { ...base(), objectsHash: step === 'apply the controllers' ? '' : hash, drift: [`incomplete: ${reason}`] };
    // no undefined values: Pulumi's protobuf Struct cannot hold them, and its dynamic provider host
    // then fails the create without answering the engine, which waits forever
    throw new PartialStateError(reason, id, compact(partial as unknown as Record<string, unknown>));
  }
}

function summarize(results: { action: string }[]): string {
  const n = (a: string) => results.filter((r) => r.action === a).length;
  return `${n('created')} created, ${n('configured')} configured, ${n('unchanged')} unchanged`;
}

export async function create(inputs: Record<string, unknown>): Promise<dyn.CreateResult> {
  const p = inputs as ControllerInstallInputs;
  try {
    return await withConnection(p, async (conn) => {
      const id = `${conn.server}/${nsOf(p)}`;
      // install, adopt (adopt: true, or a Flux this tool made: a lost state) or refuse (found-install.ts)
      const { found, plan } = await findInstall(conn, p);
      if (plan.action === 'refuse') refuse(found, p);
      if (plan.message) say(plan.message);
      const { namespaceExisted } = plan;
      let outs: ControllerInstallOutputs;
      try {
        outs = await install(conn, id, { ...p, server: conn.server, namespaceExisted });
      } finally {
        // on the namespace, where a lost state cannot take them: this tool's Flux, and whose namespace it is
        await records()
          .markNamespace(conn, nsOf(p), { installed: !plan.marked.installed, existed: namespaceExisted && !plan.marked.existed })
          .catch(() => undefined);
      }
      return { id, outs: compact(withoutStamp(outs as unknown as Record<string, unknown>)) };
    });
  } catch (e) {
    throw scrubbed(e, secretsIn(p));
  }
}

/** Settings read only by delete: changing them alone needs no cluster (which may be gone). */
const DESTROY_SETTINGS = ['keepNamespace', 'deleteUnreachable'];

function onlyDestroySettingsChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  const o = olds as ControllerInstallOutputs;
  if (news.desiredHash === undefined || news.desiredHash !== o.objectsHash || (o.drift ?? []).length > 0) return false;
  return changedSettings(olds, news).every((k) => DESTROY_SETTINGS.includes(k));
}

export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.UpdateResult> {
  const p = news as ControllerInstallInputs;
  if (onlyDestroySettingsChanged(olds, news)) {
    const outs: Record<string, unknown> = { ...olds };
    for (const k of DESTROY_SETTINGS)
      if (news[k] === undefined) delete outs[k];
      else outs[k] = news[k];
    say(`recorded ${changedSettings(olds, news).join(', ')} for destroy; nothing to apply`);
    return { outs: compact(withoutStamp(outs)) };
  }
  try {
    const o = olds as ControllerInstallOutputs;
    const outs = await withConnection(p, (conn) =>
      install(conn, id, { ...p, server: conn.server, namespaceExisted: o.namespaceExisted, existedBefore: o.existedBefore }, o),
    );
    return { outs: compact(withoutStamp(outs as unknown as Record<string, unknown>)) };
  } catch (e) {
    throw scrubbed(e, [...secretsIn(p), ...secretsIn(olds)]);
  }
}

/**
 * Objects whose generation moved since the install are drift only if they no longer hold what
 * this install renders: kustomize-controller re-applies the same commit (or, racing the install,
 * the previous one, then ours), which moves generations without changing anything. One dry-run
 * apply per moved object tells; those unchanged get their generation re-recorded, the others'
 * drift entries name the fields that differ.
 */
async function confirmMoved(
  conn: Connection,
  d: DesiredState,
  watched: Watched[],
  live: Map<string, KubeObject | undefined>,
): Promise<{ watched: Watched[]; changed: Map<string, string> }> {
  const generationOf = (w: Watched) => live.get(describe(w))?.metadata.generation;
  const moved = new Set(
    watched
      .filter((w) => w.generation !== undefined && generationOf(w) !== undefined && generationOf(w) !== w.generation)
      .map((w) => describe(w)),
  );
  const changed = new Map<string, string>();
  if (moved.size === 0) return { watched, changed };
  const objects = objectsOf(d).filter((o) => moved.has(describe({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })));
  const results = await cluster().applyObjects(conn, objects, { dryRun: true });
  const same = new Set(results.filter((r) => r.action === 'unchanged').map((r) => r.object));
  for (const r of results)
    if (r.action !== 'unchanged')
      changed.set(`changed ${r.object}`, `changed ${r.object}${r.changes.length ? ` (${r.changes.slice(0, 3).join(', ')})` : ''}`);
  return { watched: watched.map((w) => (same.has(describe(w)) ? { ...w, generation: generationOf(w) } : w)), changed };
}

export async function read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult> {
  const p = props as ControllerInstallOutputs;
  try {
    return await withConnection(p, async (conn) => {
      const d = await renderDesired(optionsOfOutputs(p), p);
      const secrets = secretsOf(d, p.credentials ?? {}, p.registryCredentials as string | undefined);
      const seen = { objects: new Map<string, KubeObject | undefined>(), secrets: new Map<string, Record<string, string> | undefined>() };
      // the watched objects Flux labels (CRDs, Deployments) with one LIST per kind, the rest one GET each
      const watchedKeys = new Set((p.watched ?? []).map(describe));
      const listed = await cluster().readLive(
        conn,
        objectsOf(d).filter((o) => watchedKeys.has(describe({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }))),
      );
      await Promise.all([
        ...(p.watched ?? []).map(async (w) => {
          const known = cluster().liveOf(listed, w);
          if (known !== undefined) {
            seen.objects.set(describe(w), known ?? undefined);
            return;
          }
          const info = await conn.discovery.tryResolve(w.apiVersion, w.kind);
          seen.objects.set(describe(w), info ? await conn.getOrUndefined<KubeObject>(resourcePath(info, w.namespace, w.name)) : undefined);
        }),
        ...secrets.map(async (s) => {
          const live = await conn.getOrUndefined<{ data?: Record<string, string> }>(
            `/api/v1/namespaces/${encodeURIComponent(s.metadata.namespace!)}/secrets/${encodeURIComponent(s.metadata.name)}`,
          );
          seen.secrets.set(
            describe({ kind: 'Secret', namespace: s.metadata.namespace, name: s.metadata.name }),
            live ? (live.data ?? {}) : undefined,
          );
        }),
      ]);
      const { watched, changed } = await confirmMoved(conn, d, p.watched ?? [], seen.objects);
      const drift = judgeDrift(watched, secrets, seen, p.wait?.reconciliation !== false).map((x) => changed.get(x) ?? x);
      if (drift.length) say(`drift: ${drift.join(', ')}`);
      const repo = seen.objects.get(
        describe({ kind: d.sourceKind === 'oci' ? 'OCIRepository' : 'GitRepository', namespace: nsOf(p), name: nsOf(p) }),
      );
      const revision = (repo?.status as { artifact?: { revision?: string } } | undefined)?.artifact?.revision ?? p.revision ?? '';
      return { id, props: { ...props, watched, drift, revision } };
    });
  } catch (e) {
    throw scrubbed(e, secretsIn(p));
  }
}

export async function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  const p = props as ControllerInstallOutputs;
  try {
    await withConnection(p, async (conn) => {
      // moved to the Flux Operator: its FluxInstance runs this Flux now, nothing is ours to remove
      if (await handedOverToOperator(conn, nsOf(p))) {
        say(`Flux in ${nsOf(p)} is managed by the Flux Operator now (FluxInstance ${nsOf(p)}/flux): handed over, nothing uninstalled`);
        return;
      }
      const keep = p.keepNamespace === true || p.namespaceExisted === true;
      // by the record of what this resource applied: in a namespace that was there before, the
      // user's objects stay (their Flux objects, a Secret of the same name), ours go
      const r = await cluster().uninstall(conn, {
        namespace: nsOf(p),
        record: recordOf(p),
        keepNamespace: p.keepNamespace,
        onProgress: say,
      });
      const kept = [
        keep ? `namespace ${nsOf(p)} kept${p.namespaceExisted ? ' (it existed before the install)' : ''}` : '',
        r.crdsKept ? `CRDs kept: ${r.crdsKept.reason}` : '',
      ].filter(Boolean);
      say(`uninstalled Flux from ${nsOf(p)}: ${r.deleted.length} objects deleted${kept.length ? `; ${kept.join('; ')}` : ''}`);
    });
  } catch (e) {
    // the cluster was deleted before this resource (or is down: only the user can tell)
    if (cluster().isUnreachable(e, false)) {
      const why = (e as ClusterError).reason;
      if (p.deleteUnreachable === true) {
        say(
          `the API server cannot be reached (${why}); deleteUnreachable is set, so Flux is taken as gone with the cluster. If the cluster still exists, run \`flux uninstall\` against it.`,
        );
        return;
      }
      throw scrubbed(
        new ClusterError(
          `cannot uninstall Flux: ${why}`,
          'if the cluster is only down, retry once it is back; if it was deleted, set deleteUnreachable: true on this resource (pulumi up, then destroy) to drop it from the state without uninstalling',
        ),
        secretsIn(p),
      );
    }
    throw scrubbed(e, secretsIn(p));
  }
}

export { remove as delete };
