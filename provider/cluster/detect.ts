// detectInstallation: is there a Flux in this namespace, and may we take it over? An install by
// `flux bootstrap` or the Flux Terraform provider (same manifests, same labels, field managers
// `flux` and `kustomize-controller`) is adopted: applying the same manifests changes nothing.
// One managed by Helm or by the Flux Operator is refused unless forced: two owners would fight.
import type { Connection } from './connection';
import { ClusterError } from './errors';
import { INSTANCE_LABEL, PART_OF_LABEL, PART_OF_VALUE } from './inventory';
import { isRecord, type KubeObject } from './objects';

export type InstallationStatus = 'absent' | 'adoptable' | 'foreign';
export type InstallationOwner = 'flux' | 'helm' | 'flux-operator' | 'other';

export interface Installation {
  status: InstallationStatus;
  owner?: InstallationOwner;
  /** app.kubernetes.io/version of the controllers, e.g. v2.9.3 */
  version?: string;
  /** controller Deployment names */
  controllers: string[];
  /** field managers seen on the controllers */
  fieldManagers: string[];
  /** what the verdict rests on */
  evidence: string[];
  message: string;
  /** the namespace exists (with or without Flux in it) */
  namespaceExists?: boolean;
}

const OPERATOR_CRD = 'fluxinstances.fluxcd.controlplane.io';
const FLUX_MANAGERS = new Set(['flux', 'kustomize-controller']);

function helmMarks(obj: KubeObject): string[] {
  const labels = obj.metadata.labels ?? {};
  const annotations = obj.metadata.annotations ?? {};
  const marks: string[] = [];
  if (labels['app.kubernetes.io/managed-by'] === 'Helm') marks.push('label app.kubernetes.io/managed-by=Helm');
  if (annotations['meta.helm.sh/release-name'])
    marks.push(`annotation meta.helm.sh/release-name=${annotations['meta.helm.sh/release-name']}`);
  return marks;
}

function operatorMarks(obj: KubeObject): string | undefined {
  const key = Object.keys(obj.metadata.labels ?? {}).find((k) => k.startsWith('fluxcd.controlplane.io/'));
  return key ? `label ${key}=${obj.metadata.labels?.[key]}` : undefined;
}

function managersOf(obj: KubeObject): string[] {
  const entries = obj.metadata.managedFields;
  return Array.isArray(entries) ? entries.map((e) => (isRecord(e) ? String(e.manager) : '')).filter(Boolean) : [];
}

/** Pure verdict from what was read, unit-testable. */
export function judgeInstallation(
  namespace: string,
  ns: KubeObject | undefined,
  deployments: KubeObject[],
  crd: KubeObject | undefined,
  operatorCrd: KubeObject | undefined,
): Installation {
  const flux = deployments.filter((d) => d.metadata.labels?.[PART_OF_LABEL] === PART_OF_VALUE);
  const controllers = flux.map((d) => d.metadata.name).sort();
  const fieldManagers = [...new Set(flux.flatMap(managersOf))].sort();
  const version = flux.map((d) => d.metadata.labels?.['app.kubernetes.io/version']).find(Boolean);
  const base = { controllers, fieldManagers, version };
  const evidence: string[] = [];
  for (const obj of [ns, crd, ...flux].filter((o): o is KubeObject => o !== undefined)) {
    const where = `${obj.kind}/${obj.metadata.name}`;
    const helm = helmMarks(obj);
    if (helm.length > 0) evidence.push(`${where}: ${helm.join(', ')}`);
    const op = operatorMarks(obj);
    if (op) evidence.push(`${where}: ${op}`);
  }
  if (operatorCrd) evidence.push(`CustomResourceDefinition/${OPERATOR_CRD} exists (the Flux Operator is installed)`);

  if (evidence.some((e) => e.includes('fluxcd.controlplane.io'))) {
    return {
      ...base,
      status: 'foreign',
      owner: 'flux-operator',
      evidence,
      message: `Flux in ${namespace} is managed by the Flux Operator (${evidence.join('; ')}); installing over it would fight the operator's FluxInstance`,
    };
  }
  if (evidence.some((e) => e.includes('Helm') || e.includes('meta.helm.sh'))) {
    return {
      ...base,
      status: 'foreign',
      owner: 'helm',
      evidence,
      message: `Flux in ${namespace} is managed by Helm (${evidence.join('; ')}); the next helm upgrade would undo what flux-bootstrap applies`,
    };
  }
  if (controllers.length === 0) {
    return {
      ...base,
      status: 'absent',
      evidence,
      message: ns ? `namespace ${namespace} exists but has no Flux controllers` : `no Flux in ${namespace}`,
    };
  }
  const instance = flux.find((d) => d.metadata.labels?.[INSTANCE_LABEL] !== namespace);
  if (instance) {
    evidence.push(`Deployment/${instance.metadata.name} has ${INSTANCE_LABEL}=${instance.metadata.labels?.[INSTANCE_LABEL] ?? '(none)'}`);
    return {
      ...base,
      status: 'foreign',
      owner: 'other',
      evidence,
      message: `Flux controllers in ${namespace} are labelled as another instance; they were not installed by flux bootstrap for this namespace`,
    };
  }
  const foreignManagers = fieldManagers.filter((m) => !FLUX_MANAGERS.has(m) && !m.startsWith('kube-') && m !== 'flux-bootstrap');
  evidence.push(`controllers ${controllers.join(', ')} labelled ${PART_OF_LABEL}=${PART_OF_VALUE}, ${INSTANCE_LABEL}=${namespace}`);
  if (foreignManagers.length > 0)
    evidence.push(`other field managers: ${foreignManagers.join(', ')} (their fields are taken over by force)`);
  return {
    ...base,
    status: 'adoptable',
    owner: 'flux',
    evidence,
    message:
      `Flux ${version ?? ''} in ${namespace} was installed with the Flux manifests (field managers: ${fieldManagers.join(', ') || 'none'}); applying the same manifests adopts it without changes`.replace(
        'Flux  in',
        'Flux in',
      ),
  };
}

export async function detectInstallation(conn: Connection, namespace: string): Promise<Installation> {
  const [ns, deployments, crd, operatorCrd] = await Promise.all([
    conn.getOrUndefined<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(namespace)}`, `Namespace/${namespace}`),
    conn.request<{ items?: KubeObject[] }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`,
      what: `list Deployments in ${namespace}`,
    }),
    conn.getOrUndefined<KubeObject>('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gitrepositories.source.toolkit.fluxcd.io'),
    conn.getOrUndefined<KubeObject>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${OPERATOR_CRD}`),
  ]);
  const items = (deployments?.items ?? []).map((d) => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' }));
  const withKind = (o: KubeObject | undefined, kind: string) => (o ? { ...o, kind } : undefined);
  return {
    ...judgeInstallation(namespace, withKind(ns, 'Namespace'), items, withKind(crd, 'CustomResourceDefinition'), operatorCrd),
    namespaceExists: ns !== undefined,
  };
}

/** Throws unless the installation may be adopted (or there is none); `force` overrides. */
export function assertAdoptable(installation: Installation, force = false): void {
  if (installation.status !== 'foreign' || force) return;
  const how =
    installation.owner === 'helm'
      ? 'uninstall the Helm release first (helm uninstall; keep the CRDs), or set force to take over'
      : installation.owner === 'flux-operator'
        ? 'manage Flux through the FluxInstance, or delete the FluxInstance and the operator first, or set force to take over'
        : 'uninstall that Flux first, or set force to take over';
  throw new ClusterError(`refusing to adopt: ${installation.message}`, how, { code: 'ForeignInstallation' });
}
