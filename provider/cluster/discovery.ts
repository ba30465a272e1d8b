// Which URL serves a kind: the plural name and whether it is namespaced, from a table of built-in
// kinds, from a CRD we are about to apply (so a fresh CRD's objects can be planned and applied
// before discovery catches up), or else from the API server's discovery documents (cached per
// connection).
import { ClusterError, isNotFound } from './errors';
import { groupOf, isRecord, type KubeObject } from './objects';
import { text } from '../text';

export interface ResourceInfo {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export type GetJson = (path: string) => Promise<unknown>;

export function resourcePath(info: ResourceInfo, namespace?: string, name?: string): string {
  const base = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/** The resources a CRD defines, one per served version. */
export function resourcesOfCrd(crd: KubeObject): ResourceInfo[] {
  const spec = crd.spec;
  if (!isRecord(spec) || !isRecord(spec.names) || !Array.isArray(spec.versions)) return [];
  const names = spec.names as { kind?: string; plural?: string };
  if (!names.kind || !names.plural) return [];
  return (spec.versions as { name?: string; served?: boolean }[])
    .filter((v) => v?.name && v.served !== false)
    .map((v) => ({
      apiVersion: `${text(spec.group)}/${v.name}`,
      kind: names.kind as string,
      plural: names.plural as string,
      namespaced: spec.scope !== 'Cluster',
    }));
}

// Kinds every Kubernetes release Flux supports serves at these URLs: resolving them needs no
// discovery request (a first install saved five of them per connection).
const BUILTIN: Record<string, [plural: string, namespaced: boolean]> = {
  'v1|Namespace': ['namespaces', false],
  'v1|ServiceAccount': ['serviceaccounts', true],
  'v1|Service': ['services', true],
  'v1|ConfigMap': ['configmaps', true],
  'v1|Secret': ['secrets', true],
  'v1|ResourceQuota': ['resourcequotas', true],
  'apps/v1|Deployment': ['deployments', true],
  'networking.k8s.io/v1|NetworkPolicy': ['networkpolicies', true],
  'rbac.authorization.k8s.io/v1|ClusterRole': ['clusterroles', false],
  'rbac.authorization.k8s.io/v1|ClusterRoleBinding': ['clusterrolebindings', false],
  'rbac.authorization.k8s.io/v1|Role': ['roles', true],
  'rbac.authorization.k8s.io/v1|RoleBinding': ['rolebindings', true],
  'apiextensions.k8s.io/v1|CustomResourceDefinition': ['customresourcedefinitions', false],
};

export function builtinResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  const hit = BUILTIN[`${apiVersion}|${kind}`];
  return hit ? { apiVersion, kind, plural: hit[0], namespaced: hit[1] } : undefined;
}

export class Discovery {
  private readonly served = new Map<string, { at: number; list: Promise<ApiResource[] | undefined> }>();
  private readonly declared = new Map<string, ResourceInfo>();

  constructor(private readonly getJson: GetJson) {}

  /** Teach the kinds of CRDs in the desired set. */
  learnCrds(objects: KubeObject[]): void {
    for (const obj of objects) {
      if (obj.kind !== 'CustomResourceDefinition' || groupOf(obj.apiVersion) !== 'apiextensions.k8s.io') continue;
      for (const info of resourcesOfCrd(obj)) this.declared.set(`${info.apiVersion}|${info.kind}`, info);
    }
  }

  /** Forget a group version, e.g. after its CRD became Established. */
  forget(apiVersion: string): void {
    this.served.delete(apiVersion);
  }

  private list(apiVersion: string): Promise<ApiResource[] | undefined> {
    let pending = this.served.get(apiVersion)?.list;
    if (!pending) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      pending = this.getJson(path).then(
        (doc) => ((doc as { resources?: ApiResource[] })?.resources ?? []).filter((r) => !r.name.includes('/')),
        (err: unknown) => {
          if (isNotFound(err)) return undefined;
          this.served.delete(apiVersion); // do not cache a transient failure
          throw err;
        },
      );
      this.served.set(apiVersion, { at: Date.now(), list: pending });
    }
    return pending;
  }

  /** The resource serving apiVersion/kind, or undefined when neither the cluster nor a desired CRD has it. */
  async tryResolve(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    // A CRD we apply names its own plural and scope: no need to ask the server about it.
    const known = builtinResource(apiVersion, kind) ?? this.declared.get(`${apiVersion}|${kind}`);
    if (known) return known;
    let resources = await this.list(apiVersion);
    let hit = resources?.find((r) => r.kind === kind);
    const cached = this.served.get(apiVersion);
    if (!hit && cached && Date.now() - cached.at > 1000) {
      // The cache may predate a CRD that was installed since: ask once more.
      this.served.delete(apiVersion);
      resources = await this.list(apiVersion);
      hit = resources?.find((r) => r.kind === kind);
    }
    return hit ? { apiVersion, kind, plural: hit.name, namespaced: hit.namespaced } : undefined;
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const info = await this.tryResolve(apiVersion, kind);
    if (!info) {
      throw new ClusterError(
        `the cluster does not serve ${kind} in ${apiVersion}`,
        'install the CRD that defines it first, or use an apiVersion this Kubernetes version serves',
        { code: 'NoKindMatch' },
      );
    }
    return info;
  }
}
