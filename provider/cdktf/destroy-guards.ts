// Two `terraform_data` resources whose only job is at destroy time, placed in the dependency
// graph so that `tofu destroy` follows `flux uninstall`'s order instead of deleting the sync
// objects while kustomize-controller still runs (its finalizer would then garbage-collect every
// workload under the path, prune: true):
//   suspend guard:    depends on the GitRepository and Kustomization, so it is destroyed first:
//                     suspends this instance's Flux custom resources;
//   finalizer guard:  depends on the Namespace and CRDs, and the components depend on it, so it
//                     is destroyed after the controllers and before the CRDs: strips finalizers;
//   CRD guard:        the CRDs depend on it, so it is destroyed last. The CRDs are apply-only
//                     (tofu never deletes them): this step deletes them unless another Flux
//                     instance or custom resources elsewhere still use them (the engine's rule).
// Each runs destroy-step.js with the node that ran the synth (a destroy-time provisioner can only
// read its own resource, hence the connection in `input` and its secrets in `triggers_replace`).
import * as path from 'node:path';
import type { DataResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { CdkLibrary } from './library';
import type { ClusterProps } from './props';
import type { Dependable } from './terraform-types';

export const DESTROY_STEP = path.join(__dirname, 'destroy-step.js');

function stepInput(namespace: string, c: ClusterProps): Record<string, unknown> {
  // every key present (a missing one is an error in the provisioner's expression)
  return {
    namespace,
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
  step: 'suspend' | 'finalizers' | 'crds',
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
        when: 'destroy',
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
): DataResource {
  return guard(cdk, scope, 'destroy-finalizers', 'finalizers', stepInput(namespace, cluster), stepSecrets(cluster), definitions);
}

export function suspendGuard(
  cdk: CdkLibrary,
  scope: Construct,
  namespace: string,
  cluster: ClusterProps,
  sync: Dependable[],
): DataResource {
  return guard(cdk, scope, 'destroy-suspend', 'suspend', stepInput(namespace, cluster), stepSecrets(cluster), sync);
}

/** The guard the CRDs must depend on (destroyed after them): deletes them unless others use them. */
export function crdGuard(cdk: CdkLibrary, scope: Construct, namespace: string, cluster: ClusterProps, crdNames: string[]): DataResource {
  return guard(
    cdk,
    scope,
    'destroy-crds',
    'crds',
    { ...stepInput(namespace, cluster), crds: crdNames.join(',') },
    stepSecrets(cluster),
    [],
  );
}
