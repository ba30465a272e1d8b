// Which Flux custom resources belong to one Flux instance, and what else in the cluster still
// needs the Flux CRDs. Flux CRDs are cluster-wide; a second Flux in another namespace, or a
// user's HelmReleases and Kustomizations elsewhere (or beside the install, in a namespace the
// user made), must survive the uninstall of this one.
//   ours:   what the install applied (its record), everything in its namespace when that
//           namespace goes with it, and, transitively, what those Kustomizations and
//           HelmReleases applied (their controllers label it with the applier's name)
//   others: every other object of a Flux CRD; and Flux controllers of another instance
import type { Connection } from './connection';
import { resourcePath } from './discovery';
import { preferredResource } from './finalizers';
import { INSTANCE_LABEL, PART_OF_LABEL, PART_OF_VALUE } from './inventory';
import { describeObject, isRecord, type KubeObject } from './objects';
import { mapBounded } from './pool';

export const APPLIED_BY_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';
/** the labels Flux's appliers put on what they apply: the applier's kind, name and namespace */
const APPLIERS = [
  { kind: 'Kustomization', name: 'kustomize.toolkit.fluxcd.io/name', namespace: APPLIED_BY_NAMESPACE_LABEL },
  { kind: 'HelmRelease', name: 'helm.toolkit.fluxcd.io/name', namespace: 'helm.toolkit.fluxcd.io/namespace' },
];

export interface CustomResource {
  /** the CRD that defines it */
  crd: KubeObject;
  object: KubeObject;
}

/** What an instance claims as its own, from its install record. */
export interface Claim {
  namespace: string;
  /** `Kind/namespace/name` of the objects the install applied (its custom resources count) */
  recorded: readonly string[];
  /** the namespace goes with the instance: everything in it is released first */
  wholeNamespace: boolean;
}

export interface Ownership {
  /** every CRD labelled part-of=flux, whichever instance applied it last */
  crds: KubeObject[];
  ours: CustomResource[];
  others: CustomResource[];
  /** namespaces of other Flux instances' controllers */
  otherInstances: string[];
}

/** `Kind/namespace/name` of the Kustomization or HelmRelease that applied `obj`, if one did. */
function applierOf(obj: KubeObject): string | undefined {
  const labels = obj.metadata.labels ?? {};
  const a = APPLIERS.find((x) => labels[x.name] && labels[x.namespace]);
  return a && `${a.kind}/${labels[a.namespace]}/${labels[a.name]}`;
}

/** The claimed resources, then what they applied, until nothing more is found. Pure. */
export function claimedResources(claim: Claim, resources: CustomResource[]): Set<CustomResource> {
  const recorded = new Set(claim.recorded);
  const ours = new Set(
    resources.filter(
      (r) => recorded.has(describeObject(r.object)) || (claim.wholeNamespace && r.object.metadata.namespace === claim.namespace),
    ),
  );
  for (let grew = true; grew;) {
    const keys = new Set([...ours].map((r) => describeObject(r.object)));
    const more = resources.filter((r) => !ours.has(r) && keys.has(applierOf(r.object) ?? ''));
    more.forEach((r) => ours.add(r));
    grew = more.length > 0;
  }
  return ours;
}

/** Pure split of what was listed; unit-tested. */
export function splitOwnership(claim: Claim, crds: KubeObject[], resources: CustomResource[], deployments: KubeObject[]): Ownership {
  const otherInstances = [
    ...new Set(
      deployments
        .filter((d) => d.metadata.namespace !== claim.namespace && !d.metadata.deletionTimestamp)
        .map((d) => d.metadata.namespace ?? ''),
    ),
  ].sort();
  const ours = claimedResources(claim, resources);
  return { crds, ours: [...ours], others: resources.filter((r) => !ours.has(r)), otherInstances };
}

/** Why the CRDs must stay, or undefined when nothing outside this instance needs them. */
export function crdsNeededBy(o: Ownership, namespace: string): string | undefined {
  const reasons: string[] = [];
  if (o.otherInstances.length > 0) reasons.push(`Flux controllers of another instance run in ${o.otherInstances.join(', ')}`);
  if (o.others.length > 0) {
    const names = o.others.map((r) => describeObject(r.object));
    reasons.push(
      `${names.length} custom resource${names.length === 1 ? '' : 's'} outside ${namespace} remain (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`,
    );
  }
  return reasons.length ? reasons.join('; ') : undefined;
}

/** Other instances the CRDs name as their last applier (app.kubernetes.io/instance), whose
 *  namespace is there: an install that has applied its CRDs but no controller yet. */
export async function lastAppliedByOthers(conn: Connection, crds: KubeObject[], namespace: string): Promise<string[]> {
  const named = [...new Set(crds.map((c) => c.metadata.labels?.[INSTANCE_LABEL]).filter((n): n is string => !!n && n !== namespace))];
  const live = await Promise.all(
    named.map(async (n) => {
      const ns = await conn.getOrUndefined<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(n)}`, `Namespace/${n}`);
      return ns && !ns.metadata.deletionTimestamp ? n : undefined;
    }),
  );
  return live.filter((n): n is string => n !== undefined).sort();
}

const selector = encodeURIComponent(`${PART_OF_LABEL}=${PART_OF_VALUE}`);

/** Lists the Flux CRDs, every object of each in all namespaces, and the Flux controllers of
 *  all namespaces: 2 + one LIST per CRD. */
export async function readOwnership(conn: Connection, claim: Claim, concurrency = 8): Promise<Ownership> {
  const [crdList, deployments] = await Promise.all([
    conn.request<{ items?: KubeObject[] }>({
      method: 'GET',
      path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions?labelSelector=${selector}`,
      what: 'list Flux CRDs',
    }),
    conn.request<{ items?: KubeObject[] }>({
      method: 'GET',
      path: `/apis/apps/v1/deployments?labelSelector=${selector}`,
      what: 'list Flux controllers',
    }),
  ]);
  const crds = (crdList?.items ?? [])
    .filter(isRecord)
    .map((c) => ({ ...c, apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }));
  const settled = await mapBounded(crds, concurrency, async (crd) => {
    const info = preferredResource(crd);
    if (!info) return [];
    const list = await conn.getOrUndefined<{ items?: KubeObject[] }>(resourcePath(info), `list ${info.kind}`);
    return (list?.items ?? []).map((item) => ({ crd, object: { ...item, apiVersion: info.apiVersion, kind: info.kind } }));
  });
  const failed = settled.find((s) => !s.ok);
  if (failed && !failed.ok) throw failed.error;
  const resources = settled.flatMap((s) => (s.ok ? s.value : []));
  const items = (deployments?.items ?? []).map((d) => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' }));
  return splitOwnership(claim, crds, resources, items);
}
