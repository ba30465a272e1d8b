// kustomize's `namespace:` transformer on the kinds Flux ships: metadata.namespace on every
// namespaced object, the name of v1 Namespaces, and (Cluster)RoleBinding subjects that are
// the "default" ServiceAccount. Other subjects are left alone, which is why Flux rewrites
// "flux-system" in rbac.yaml by hand before building.
import { asMap, kindOf, metadataOf, type KubeObject } from './objects';

const CLUSTER_SCOPED = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CustomResourceDefinition',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export function isClusterScoped(obj: KubeObject): boolean {
  return CLUSTER_SCOPED.has(kindOf(obj));
}

export function setNamespace(objects: KubeObject[], namespace: string): void {
  for (const obj of objects) {
    const kind = kindOf(obj);
    if (kind === 'Namespace' && obj.apiVersion === 'v1') metadataOf(obj).name = namespace;
    if (!isClusterScoped(obj)) metadataOf(obj).namespace = namespace;
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      const subjects = Array.isArray(obj.subjects) ? obj.subjects : [];
      for (const s of subjects) {
        const subject = asMap(s);
        if (subject && subject.kind === 'ServiceAccount' && subject.name === 'default') subject.namespace = namespace;
      }
    }
  }
}
