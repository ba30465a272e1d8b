// Which Flux custom resources belong to one Flux instance, and what else in the cluster still
// needs the Flux CRDs. Flux CRDs are cluster-wide; a second Flux in another namespace, or a
// user's HelmReleases and Kustomizations elsewhere, must survive the uninstall of this one.
//   ours:   in the install namespace, or applied by one of its Kustomizations (kustomize-controller
//           labels what it applies with kustomize.toolkit.fluxcd.io/namespace)
//   others: every other object of a Flux CRD; and Flux controllers of another instance
import type { Connection } from './connection';
import { resourcePath } from './discovery';
import { preferredResource } from './finalizers';
import { PART_OF_LABEL, PART_OF_VALUE } from './inventory';
import { describeObject, isRecord, type KubeObject } from './objects';
import { mapBounded } from './pool';

export const APPLIED_BY_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';

export interface CustomResource {
  /** the CRD that defines it */
  crd: KubeObject;
  object: KubeObject;
}

export interface Ownership {
  /** every CRD labelled part-of=flux, whichever instance applied it last */
  crds: KubeObject[];
  ours: CustomResource[];
  others: CustomResource[];
  /** namespaces of other Flux instances' controllers */
  otherInstances: string[];
}

export function isOurs(obj: KubeObject, namespace: string): boolean {
  return obj.metadata.namespace === namespace || obj.metadata.labels?.[APPLIED_BY_NAMESPACE_LABEL] === namespace;
}

/** Pure split of what was listed; unit-tested. */
export function splitOwnership(namespace: string, crds: KubeObject[], resources: CustomResource[], deployments: KubeObject[]): Ownership {
  const otherInstances = [
    ...new Set(
      deployments.filter((d) => d.metadata.namespace !== namespace && !d.metadata.deletionTimestamp).map((d) => d.metadata.namespace ?? ''),
    ),
  ].sort();
  return {
    crds,
    ours: resources.filter((r) => isOurs(r.object, namespace)),
    others: resources.filter((r) => !isOurs(r.object, namespace)),
    otherInstances,
  };
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

const selector = encodeURIComponent(`${PART_OF_LABEL}=${PART_OF_VALUE}`);

/** Lists the Flux CRDs, every object of each in all namespaces, and the Flux controllers of
 *  all namespaces: 2 + one LIST per CRD. */
export async function readOwnership(conn: Connection, namespace: string, concurrency = 8): Promise<Ownership> {
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
  return splitOwnership(namespace, crds, resources, items);
}
