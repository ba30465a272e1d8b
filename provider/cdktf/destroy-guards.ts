// Two `terraform_data` resources whose only job is at destroy time, placed in the dependency
// graph so that `tofu destroy` follows `flux uninstall`'s order instead of deleting the sync
// objects while kustomize-controller still runs (its finalizer would then garbage-collect every
// workload under the path, prune: true):
//   suspend guard:    depends on the GitRepository and Kustomization, so it is destroyed first:
//                     suspends this instance's Flux custom resources;
//   finalizer guard:  depends on the Namespace and CRDs, and the components depend on it, so it
//                     is destroyed after the controllers and before the CRDs: strips finalizers;
//   CRD guard:        the CRDs and the Namespace depend on it, so it is destroyed last. They are
//                     apply-only (tofu never deletes them): this step deletes the CRDs unless
//                     another Flux instance or custom resources elsewhere still use them (the
//                     engine's rule), then the namespace, unless it was there before the install
//                     or keepNamespace is set.
// And one at create: the namespace record, which the Namespace depends on, marks a namespace that
// was there before (the user's, without Flux in it) so the destroy keeps it (namespace-record.ts).
// Each runs destroy-step.js with the node that ran the synth (a destroy-time provisioner can only
// read its own resource, hence the connection in `input` and its secrets in `triggers_replace`).
import * as path from 'node:path';
import type { DataResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { CdkLibrary } from './library';
import type { ClusterProps } from './props';
import type { Dependable } from './terraform-types';

export const DESTROY_STEP = path.join(__dirname, 'destroy-step.js');

function stepInput(namespace: string, c: ClusterProps, keepNamespace = false): Record<string, unknown> {
  // every key present (a missing one is an error in the provisioner's expression)
  return {
    namespace,
    keepNamespace: keepNamespace ? 'true' : 'false',
    configPath: c.configPath ?? '',
    configContext: c.configContext ?? '',
    host: c.host ?? '',
    clusterCaCertificate: c.clusterCaCertificate ?? '',
    clientCertificate: c.clientCertificate ?? '',
    insecure: c.insecure === true ? 'true' : 'false',
  };
}

/** The connection's secrets. Not in `input`: terraform_data copies it to `output`, which the
 *  state and `tofu show` hold unmarked; `triggers_replace` keeps the variable's sensitive mark.
 *  Changes are ignored, as a replacement would run the destroy step on a live install. */
function stepSecrets(c: ClusterProps): Record<string, string> {
  return { token: c.token ?? '', clientKey: c.clientKey ?? '' };
}

function guard(
  cdk: CdkLibrary,
  scope: Construct,
  id: string,
  step: 'record' | 'suspend' | 'finalizers' | 'crds',
  input: Record<string, unknown>,
  secrets: Record<string, string>,
  dependsOn: Dependable[],
): DataResource {
  return new cdk.DataResource(scope, id, {
    input,
    triggersReplace: secrets,
    lifecycle: { ignoreChanges: ['triggers_replace'] },
    dependsOn: dependsOn.length ? dependsOn : undefined,
    provisioners: [
      {
        type: 'local-exec',
        when: step === 'record' ? 'create' : 'destroy',
        interpreter: [process.execPath, DESTROY_STEP],
        command: step,
        environment: { FLUX_BOOTSTRAP_DESTROY: '${jsonencode(merge(self.input, self.triggers_replace))}' },
      },
    ],
  });
}

/** The guard the components must depend on; then `suspendGuard` after the sync objects. */
export function finalizerGuard(
  cdk: CdkLibrary,
  scope: Construct,
  namespace: string,
  cluster: ClusterProps,
  definitions: Dependable[],
  keepNamespace = false,
): DataResource {
  const input = stepInput(namespace, cluster, keepNamespace);
  return guard(cdk, scope, 'destroy-finalizers', 'finalizers', input, stepSecrets(cluster), definitions);
}

export function suspendGuard(
  cdk: CdkLibrary,
  scope: Construct,
  namespace: string,
  cluster: ClusterProps,
  sync: Dependable[],
  keepNamespace = false,
): DataResource {
  return guard(cdk, scope, 'destroy-suspend', 'suspend', stepInput(namespace, cluster, keepNamespace), stepSecrets(cluster), sync);
}

/** The guard the CRDs and the Namespace must depend on (destroyed after them): deletes the CRDs
 *  unless others use them, then the namespace unless it was there before or is to be kept. */
export function crdGuard(
  cdk: CdkLibrary,
  scope: Construct,
  namespace: string,
  cluster: ClusterProps,
  crdNames: string[],
  keepNamespace: boolean,
): DataResource {
  return guard(
    cdk,
    scope,
    'destroy-crds',
    'crds',
    { ...stepInput(namespace, cluster, keepNamespace), crds: crdNames.join(',') },
    stepSecrets(cluster),
    [],
  );
}

/** Run once, at create, before the Namespace is applied: records whether it was there already. */
export function namespaceRecord(cdk: CdkLibrary, scope: Construct, namespace: string, cluster: ClusterProps): DataResource {
  return guard(cdk, scope, 'namespace-record', 'record', stepInput(namespace, cluster), stepSecrets(cluster), []);
}
