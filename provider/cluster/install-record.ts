// What one Flux instance applied, written at install and read at uninstall: an uninstall deletes
// what the record names and nothing else (never a sweep by label or namespace), so a namespace
// that was there before, a user's Secret of the same name as Flux's, and a user's own Flux
// objects beside the install all stay. ControllerInstall keeps it in its state (`inventory`,
// `existedBefore`, `namespaceExisted`); installs made by others (`flux bootstrap`) have the
// record Flux's install generator writes: its labels, and the sync objects named after the
// namespace (uninstall.ts).
import type { ObjectRef } from './objects';

export interface InstallRecord {
  /** every object the install applied; apiVersion '' where the record did not keep it (a
   *  custom resource: its CRD says) */
  applied: ObjectRef[];
  /** `Kind/namespace/name` of applied objects that were there before the install: kept */
  existedBefore?: string[];
  /** the namespace was there before the install: kept, with everything else in it */
  namespaceExisted?: boolean;
}

/** apiVersions of the kinds Flux's install manifests hold besides custom resources. */
const BUILT_IN: Record<string, string> = {
  Namespace: 'v1',
  ResourceQuota: 'v1',
  ServiceAccount: 'v1',
  Service: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Deployment: 'apps/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
};

/** `Kind/namespace/name` or `Kind/name`, as describeRef writes them. */
export function refOfDescription(description: string, known: readonly { apiVersion: string; kind: string }[] = []): ObjectRef {
  const parts = description.split('/');
  const kind = parts[0];
  const apiVersion = known.find((k) => k.kind === kind)?.apiVersion ?? BUILT_IN[kind] ?? '';
  return parts.length === 3 ? { apiVersion, kind, namespace: parts[1], name: parts[2] } : { apiVersion, kind, name: parts[1] ?? '' };
}
