// FluxInstance: the Flux Operator's FluxInstance `flux` in the operator's namespace, and its
// sync's pull Secret (none with a cloud's workload identity), applied with server-side apply;
// then a wait until the operator reports it Ready with the release the range resolved to and,
// given a commit, until its sync has reconciled that commit. Destroy deletes the FluxInstance:
// the operator's finalizer uninstalls Flux the way `flux uninstall` does (controllers first,
// finalizers of Flux's objects removed, so what Flux applied stays), and the wait lasts until
// it is gone.
import type * as dyn from '@pulumi/pulumi/dynamic';
import type { Connection, KubeObject } from '../cluster';
import { ClusterError } from '../cluster/errors';
import { InputError } from '../errors';
import { compact, PartialStateError, progress, scrubbed } from './common';
import { withoutStamp } from './check-memo';
import { nsOf, resolveVersion, desiredHashOf, type FluxInstanceInputs, type FluxInstanceOutputs } from './flux-instance-check';
import { releaseGuards } from './operator-handover';
import { cluster, clusterSecrets, withConnection } from './operator-common';
import { FIELD_MANAGER } from './operator-install';
import { revisionContains } from './revision-ancestry';

export { check, diff } from './flux-instance-check';
export type { FluxInstanceInputs, FluxInstanceOutputs } from './flux-instance-check';

const WHO = 'FluxInstance';
const say = (m: string) => progress(WHO, m);
const operator = () => require('../operator/instance') as typeof import('../operator/instance');
const secretsIn = (p: FluxInstanceInputs) => [
  ...clusterSecrets(p.cluster),
  p.credentials?.privateKey,
  p.credentials?.passphrase,
  p.credentials?.password,
  p.credentials?.bearerToken,
  p.credentials?.githubAppPrivateKey,
];

type Conditioned = KubeObject & {
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string; observedGeneration?: number }[];
    lastAppliedRevision?: string;
  };
};

const instancePath = (ns: string) => `/apis/fluxcd.controlplane.io/v1/namespaces/${encodeURIComponent(ns)}/fluxinstances/flux`;

/** Waits until the operator has reconciled the current generation: Ready, at `version` (unless an artifact may move it). */
async function waitForInstance(conn: Connection, p: FluxInstanceInputs, timeoutMs: number): Promise<Conditioned> {
  const deadline = Date.now() + timeoutMs;
  const artifact = p.instance?.distribution.artifact !== undefined;
  let last = '';
  for (;;) {
    const fi = await conn.getOrUndefined<Conditioned>(instancePath(nsOf(p)));
    const ready = fi?.status?.conditions?.find((c) => c.type === 'Ready');
    const current = ready?.observedGeneration === undefined || ready.observedGeneration === fi?.metadata.generation;
    const at = fi?.status?.lastAppliedRevision ?? '';
    const version = at.split('@')[0];
    if (fi && ready?.status === 'True' && current && (artifact || version === p.resolvedVersion)) return fi;
    const stalled = fi?.status?.conditions?.find((c) => c.type === 'Stalled' && c.status === 'True');
    if (stalled && current)
      throw new ClusterError(
        `FluxInstance ${nsOf(p)}/flux is stalled: ${stalled.message ?? stalled.reason}`,
        'fix the spec (the operator cannot build it)',
      );
    const state = !fi
      ? 'not found'
      : `${ready?.reason ?? 'no Ready condition'}: ${(ready?.message ?? '').slice(0, 300)}${at ? ` (applied ${at})` : ''}`;
    if (state !== last) say(`waiting for FluxInstance ${nsOf(p)}/flux: ${state}`);
    last = state;
    if (Date.now() > deadline)
      throw new ClusterError(
        `FluxInstance ${nsOf(p)}/flux not Ready at ${p.resolvedVersion} after ${Math.round(timeoutMs / 1000)} s: ${state}`,
        'look at the operator (kubectl -n <namespace> logs deploy/flux-operator) and the FluxInstance status',
      );
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The revision the sync reports once it reconciled `commit`: `<ref>@sha1:<commit>` or `<tag>@sha256:<digest>`. */
function expectedRevision(p: FluxInstanceInputs): string | undefined {
  const sync = p.instance?.sync;
  if (!sync || !p.commit || sync.kind === 'Bucket') return undefined;
  if (sync.kind === 'OCIRepository') return `${sync.ref}@${p.commit.startsWith('sha256:') ? p.commit : `sha256:${p.commit}`}`;
  return `${sync.ref}@sha1:${p.commit}`;
}

async function apply(conn: Connection, id: string, p: FluxInstanceInputs, prior?: FluxInstanceOutputs): Promise<FluxInstanceOutputs> {
  const ns = nsOf(p);
  const resolved = p.resolvedVersion ?? (await resolveVersion(p));
  const q = { ...p, resolvedVersion: resolved };
  const hash = desiredHashOf(q, resolved);
  const base = (): FluxInstanceOutputs => ({
    ...q,
    version: prior?.version ?? '',
    lastAppliedRevision: prior?.lastAppliedRevision ?? '',
    revision: prior?.revision ?? '',
    objectsHash: '',
    drift: [],
  });
  let step = 'apply the sync Secret';
  try {
    const { secret, none } = operator().syncSecret(q.instance!, ns, q.credentials);
    if (secret) {
      const r = await cluster().applySecret(conn, secret, { fieldManager: FIELD_MANAGER });
      if (r.action !== 'unchanged') say(`${r.object} ${r.action}`);
    } else say(`no sync Secret: ${none}`);
    step = 'apply the FluxInstance';
    const [r] = await cluster().applyObjects(conn, [operator().instanceObject(q.instance!, ns)], { fieldManager: FIELD_MANAGER });
    say(`FluxInstance ${ns}/flux ${r.action} (Flux ${resolved}, ${q.instance!.distribution.version})`);
    const w = q.wait ?? {};
    const timeoutMs = (w.timeoutSeconds ?? 300) * 1000;
    let applied = prior?.lastAppliedRevision ?? '';
    let revision = prior?.revision ?? '';
    if (w.reconciliation !== false) {
      step = 'wait for the operator to reconcile the FluxInstance';
      const fi = await waitForInstance(conn, q, timeoutMs);
      applied = fi.status?.lastAppliedRevision ?? '';
      say(`FluxInstance ${ns}/flux is Ready: ${applied}`);
      const expected = expectedRevision(q);
      if (expected) {
        step = 'wait for Flux to reconcile the commit';
        const sync = q.instance!.sync!;
        await cluster().waitForReconciliation(conn, {
          namespace: ns,
          name: sync.name ?? ns,
          revision: expected,
          sourceKind: sync.kind === 'OCIRepository' ? 'OCIRepository' : 'GitRepository',
          checks: { deployments: false },
          timeoutMs,
          onProgress: say,
          containsExpected:
            sync.kind === 'GitRepository' && sync.ref.startsWith('refs/heads/')
              ? revisionContains(sync.url, sync.ref.slice('refs/heads/'.length), q.credentials, q.commit!)
              : undefined,
        });
        revision = expected;
      }
      if (q.releaseGuards?.length) {
        step = 'release the handover guards';
        await releaseGuards(conn, q.releaseGuards, say);
      }
    }
    return { ...base(), version: applied.split('@')[0] || resolved, lastAppliedRevision: applied, revision, objectsHash: hash };
  } catch (e) {
    const reason = `could not ${step}: ${(e as Error).message}`;
    throw new PartialStateError(reason, id, {
      ...base(),
      objectsHash: step.startsWith('apply') ? '' : hash,
      drift: [`incomplete: ${reason}`],
    });
  }
}

export async function create(inputs: Record<string, unknown>): Promise<dyn.CreateResult> {
  const p = inputs as FluxInstanceInputs;
  try {
    return await withConnection(p.cluster!, async (conn) => {
      const id = `${conn.server}/${nsOf(p)}/flux`;
      const outs = await apply(conn, id, { ...p, server: conn.server });
      return { id, outs: compact(withoutStamp(outs as unknown as Record<string, unknown>)) };
    });
  } catch (e) {
    throw scrubbed(e, secretsIn(p));
  }
}

export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.UpdateResult> {
  const p = news as FluxInstanceInputs;
  try {
    const outs = await withConnection(p.cluster!, (conn) => apply(conn, id, { ...p, server: conn.server }, olds as FluxInstanceOutputs));
    return { outs: compact(withoutStamp(outs as unknown as Record<string, unknown>)) };
  } catch (e) {
    throw scrubbed(e, [...secretsIn(p), ...secretsIn(olds)]);
  }
}

export async function read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult> {
  const p = props as FluxInstanceOutputs;
  try {
    return await withConnection(p.cluster!, async (conn) => {
      const ns = nsOf(p);
      const fi = await conn.getOrUndefined<Conditioned>(instancePath(ns));
      const drift: string[] = [];
      if (!fi) drift.push(`missing FluxInstance/${ns}/flux`);
      else {
        const ready = fi.status?.conditions?.find((c) => c.type === 'Ready');
        if (ready?.status !== 'True') drift.push(`not ready FluxInstance/${ns}/flux: ${(ready?.message ?? '').slice(0, 200)}`);
        // the API server fills in the CRD's defaults (wait, migrateResources, sync.interval): only what we set counts
        if (!holds(fi.spec, operator().instanceObject(p.instance!, ns).spec)) drift.push(`changed FluxInstance/${ns}/flux`);
      }
      const { secret } = operator().syncSecret(p.instance!, ns, p.credentials);
      if (secret) {
        const live = await conn.getOrUndefined<{ data?: Record<string, string> }>(
          `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(secret.metadata.name)}`,
        );
        if (!live) drift.push(`missing Secret/${ns}/${secret.metadata.name}`);
      }
      if (drift.length) say(`drift: ${drift.join(', ')}`);
      return { id, props: { ...props, drift, lastAppliedRevision: fi?.status?.lastAppliedRevision ?? p.lastAppliedRevision } };
    });
  } catch (e) {
    throw scrubbed(e, secretsIn(p));
  }
}

/** Whether `live` has every field `ours` sets, with the same value (lists compared whole). */
function holds(live: unknown, ours: unknown): boolean {
  const { stableJson } = require('./common') as typeof import('./common');
  if (ours && typeof ours === 'object' && !Array.isArray(ours))
    return (
      !!live &&
      typeof live === 'object' &&
      Object.entries(ours).every(([k, v]) => v === undefined || holds((live as Record<string, unknown>)[k], v))
    );
  return stableJson(live) === stableJson(ours);
}

export async function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  const p = props as FluxInstanceOutputs;
  try {
    await withConnection(p.cluster!, async (conn) => {
      const ns = nsOf(p);
      const { deleteObject } = require('../cluster/prune') as typeof import('../cluster/prune');
      const fi = { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'FluxInstance', metadata: { name: 'flux', namespace: ns } };
      const exists = await conn.getOrUndefined(instancePath(ns));
      const operatorRuns = await conn.getOrUndefined(`/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments/flux-operator`);
      // without the operator its finalizer never runs: the delete would hang with Flux in place
      if (exists && !operatorRuns)
        throw new InputError({
          field: 'namespace',
          value: ns,
          reason: "has no Flux Operator to run the FluxInstance's uninstall (its finalizer)",
          remedy: 'install the operator again (OperatorInstall) and destroy the FluxInstance first',
        });
      if (!(await deleteObject(conn, fi))) say(`FluxInstance ${ns}/flux is gone already`);
      // the operator's finalizer uninstalls Flux: controllers, finalizers of Flux's objects (workloads stay), CRDs
      const deadline = Date.now() + (p.wait?.timeoutSeconds ?? 600) * 1000;
      while (await conn.getOrUndefined(instancePath(ns))) {
        if (Date.now() > deadline)
          throw new ClusterError(`FluxInstance ${ns}/flux still exists`, 'look at the operator log: its uninstall did not finish');
        await new Promise((r) => setTimeout(r, 1000));
      }
      const { secret } = operator().syncSecret(p.instance!, ns, p.credentials);
      if (secret) await deleteObject(conn, secret);
      say(`FluxInstance ${ns}/flux deleted: the operator uninstalled Flux ${p.version}; what Flux applied stays`);
    });
  } catch (e) {
    throw scrubbed(e, secretsIn(p));
  }
}

export { remove as delete };
