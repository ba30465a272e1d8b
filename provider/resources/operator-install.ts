// OperatorInstall: the Flux Operator's own manifests for a pinned release (its Go module's
// config/default, install-manifests.ts), applied with staged server-side apply and waited for
// until its Deployment is available. Destroy removes only what it applied, and nothing while a
// FluxInstance, ResourceSet or ResourceSetInputProvider still relies on the operator: deleting
// its CRDs would delete those objects (a FluxInstance's finalizer uninstalls its Flux).
import type * as dyn from '@pulumi/pulumi/dynamic';
import type { Connection, KubeObject } from '../cluster';
import { InputError } from '../errors';
import { text } from '../text';
import { compact, PartialStateError, progress, scrubbed } from './common';
import { withoutStamp } from './check-memo';
import { describe } from './install-state';
import { cluster, clusterSecrets, hashOf, refOf, summarize, waitForDeployment, withConnection } from './operator-common';
import { nsOf, renderOperator, type OperatorInstallInputs, type OperatorInstallOutputs } from './operator-install-check';
import { guardClassicFlux } from './operator-handover';

export { check, diff } from './operator-install-check';
export type { OperatorInstallInputs, OperatorInstallOutputs } from './operator-install-check';

const WHO = 'OperatorInstall';
const say = (m: string) => progress(WHO, m);
/** field manager of our applies: the operator strips `flux` and kustomize-controller from Flux's objects, never this one */
export const FIELD_MANAGER = 'flux-bootstrap';
const OPERATOR_DEPLOYMENT = 'flux-operator';
/** the kinds whose objects rely on a running operator (FluxReport is its own, made by itself) */
const USER_KINDS = ['fluxinstances', 'resourcesets', 'resourcesetinputproviders'];

async function install(
  conn: Connection,
  id: string,
  p: OperatorInstallInputs,
  prior?: OperatorInstallOutputs,
): Promise<OperatorInstallOutputs> {
  const { objects, releases } = await renderOperator(p);
  const hash = hashOf(objects);
  const inventory = objects.map(refOf);
  const base = (): OperatorInstallOutputs => ({ ...p, version: text(p.version), objectsHash: '', inventory, releases, drift: [] });
  let step = 'apply the operator';
  try {
    if (!prior || prior.objectsHash !== hash || (prior.drift ?? []).length > 0) {
      const results = await cluster().applyObjects(conn, objects, { fieldManager: FIELD_MANAGER, onProgress: say });
      say(`operator ${text(p.version)}: ${summarize(results)}`);
    }
    const stale = (prior?.inventory ?? []).filter((r) => !inventory.includes(r));
    if (stale.length) {
      step = 'delete objects no longer in the release';
      await deleteRefs(conn, prior!.inventory, stale, prior!);
    }
    if (p.wait?.deployments !== false) {
      step = 'wait for the operator';
      await waitForDeployment(conn, nsOf(p), OPERATOR_DEPLOYMENT, (p.wait?.timeoutSeconds ?? 300) * 1000, say);
    }
    return { ...base(), objectsHash: hash };
  } catch (e) {
    const reason = `could not ${step}: ${(e as Error).message}`;
    throw new PartialStateError(reason, id, { ...base(), drift: [`incomplete: ${reason}`] });
  }
}

/** The objects named (`Kind/ns/name` from the inventory), deleted in reverse apply order. */
async function deleteRefs(conn: Connection, inventory: string[], refs: string[], p: OperatorInstallInputs): Promise<string[]> {
  const { deleteObject } = require('../cluster/prune') as typeof import('../cluster/prune');
  const rendered = await renderOperator(p).then(
    (r) => r.objects,
    () => [] as KubeObject[],
  );
  const byRef = new Map(rendered.map((o) => [refOf(o), o]));
  const deleted: string[] = [];
  for (const ref of [...inventory].reverse().filter((r) => refs.includes(r))) {
    const parts = ref.split('/');
    const obj = byRef.get(ref) ?? {
      apiVersion: apiVersionOf(parts[0]),
      kind: parts[0],
      metadata: parts.length === 3 ? { namespace: parts[1], name: parts[2] } : { name: parts[1] },
    };
    if (await deleteObject(conn, obj)) deleted.push(ref);
  }
  return deleted;
}

const API_VERSIONS: Record<string, string> = {
  Namespace: 'v1',
  ServiceAccount: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
};
const apiVersionOf = (kind: string) => API_VERSIONS[kind] ?? 'v1';

export async function create(inputs: Record<string, unknown>): Promise<dyn.CreateResult> {
  const p = inputs as OperatorInstallInputs;
  try {
    return await withConnection(p.cluster!, async (conn) => {
      const ns = nsOf(p);
      const id = `${conn.server}/${ns}/flux-operator`;
      const found = await conn.getOrUndefined(`/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments/${OPERATOR_DEPLOYMENT}`);
      if (found && p.adopt !== true)
        throw new InputError({
          field: 'adopt',
          value: p.adopt,
          reason: `is not set, and a Flux Operator runs in ${ns} already (Deployment ${ns}/${OPERATOR_DEPLOYMENT})`,
          remedy: 'set adopt: true to manage it with this stack (destroy will then remove it), or remove it first',
        });
      const namespaceExisted = (await conn.getOrUndefined(`/api/v1/namespaces/${encodeURIComponent(ns)}`)) !== undefined;
      // a classic Flux here is about to be handed over: guard it against its own Kustomization's prune
      const guarded = namespaceExisted ? await guardClassicFlux(conn, ns, say) : [];
      const outs = await install(conn, id, { ...p, server: conn.server, namespaceExisted, guarded });
      return { id, outs: compact(withoutStamp(outs as unknown as Record<string, unknown>)) };
    });
  } catch (e) {
    throw scrubbed(e, clusterSecrets(p.cluster));
  }
}

export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.UpdateResult> {
  const p = news as OperatorInstallInputs;
  const o = olds as OperatorInstallOutputs;
  try {
    const outs = await withConnection(p.cluster!, (conn) =>
      install(conn, id, { ...p, server: conn.server, namespaceExisted: o.namespaceExisted, guarded: o.guarded }, o),
    );
    return { outs: compact(withoutStamp(outs as unknown as Record<string, unknown>)) };
  } catch (e) {
    throw scrubbed(e, [...clusterSecrets(p.cluster), ...clusterSecrets(o.cluster)]);
  }
}

export async function read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult> {
  const p = props as OperatorInstallOutputs;
  try {
    return await withConnection(p.cluster!, async (conn) => {
      const { objects } = await renderOperator(p);
      const drift: string[] = [];
      const live = await cluster().readLive(conn, objects);
      for (const o of objects) {
        const got = cluster().liveOf(live, {
          apiVersion: o.apiVersion,
          kind: o.kind,
          name: o.metadata.name,
          namespace: o.metadata.namespace,
        });
        const seen = got === undefined ? await conn.getOrUndefined<KubeObject>(pathOf(o)) : (got ?? undefined);
        if (!seen) drift.push(`missing ${refOf(o)}`);
        else if (o.kind === 'Deployment' && imageOf(seen) !== imageOf(o)) drift.push(`changed ${refOf(o)} (image ${imageOf(seen)})`);
      }
      if (drift.length) say(`drift: ${drift.join(', ')}`);
      return { id, props: { ...props, drift } };
    });
  } catch (e) {
    throw scrubbed(e, clusterSecrets(p.cluster));
  }
}

const imageOf = (d: KubeObject) =>
  ((d.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec?.containers ?? [])[0]?.image;

function pathOf(o: KubeObject): string {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const plural =
    {
      Namespace: 'namespaces',
      CustomResourceDefinition: 'customresourcedefinitions',
      ServiceAccount: 'serviceaccounts',
      Service: 'services',
      Deployment: 'deployments',
      ClusterRole: 'clusterroles',
      ClusterRoleBinding: 'clusterrolebindings',
    }[o.kind] ?? `${o.kind.toLowerCase()}s`;
  return o.metadata.namespace
    ? `${base}/namespaces/${o.metadata.namespace}/${plural}/${o.metadata.name}`
    : `${base}/${plural}/${o.metadata.name}`;
}

/** The objects of the operator's own kinds that still exist, anywhere: `Kind/ns/name`. */
async function usersOfOperator(conn: Connection): Promise<string[]> {
  const found: string[] = [];
  for (const plural of USER_KINDS) {
    const list = await conn.getOrUndefined<{ items?: KubeObject[] }>(`/apis/fluxcd.controlplane.io/v1/${plural}`);
    for (const o of list?.items ?? [])
      found.push(describe({ kind: o.kind ?? plural, namespace: o.metadata.namespace, name: o.metadata.name }));
  }
  return found;
}

export async function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  const p = props as OperatorInstallOutputs;
  try {
    await withConnection(p.cluster!, async (conn) => {
      const users = await usersOfOperator(conn);
      if (users.length) {
        say(
          `operator kept in ${nsOf(p)}: ${users.length} object(s) rely on it (${users.slice(0, 3).join(', ')}); deleting its CRDs would delete them`,
        );
        return;
      }
      const keep = new Set([p.namespaceExisted ? `Namespace/${nsOf(p)}` : '']);
      const refs = (p.inventory ?? []).filter((r) => !keep.has(r));
      const deleted = await deleteRefs(conn, p.inventory ?? [], refs, p);
      // the CRDs are cluster-wide: a destroy that ends while they terminate would race a new install
      const crds = refs.filter((r) => r.startsWith('CustomResourceDefinition/')).map((r) => r.split('/')[1]);
      const deadline = Date.now() + 120_000;
      for (const crd of crds)
        while (await conn.getOrUndefined(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(crd)}`)) {
          if (Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 500));
        }
      say(
        `removed the operator from ${nsOf(p)}: ${deleted.length} objects deleted${p.namespaceExisted ? `; namespace ${nsOf(p)} kept (it existed before)` : ''}`,
      );
    });
  } catch (e) {
    throw scrubbed(e, clusterSecrets(p.cluster));
  }
}

export { remove as delete };
