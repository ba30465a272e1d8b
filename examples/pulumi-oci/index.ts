// Gitless flux bootstrap: no Git repository, no deploy key. The cluster's Flux manifests are
// pushed as an OCI artifact (the format `flux push artifact` writes) to the registry, and Flux
// pulls them with an OCIRepository and applies them with its Kustomization. A change of the
// options pushes one new artifact under the same tag; Flux reconciles it.
import * as pulumi from '@pulumi/pulumi';
import * as flux from 'flux-bootstrap/pulumi';

const config = new pulumi.Config();
const caPem = config.get('registryCaPem');
const auth = { username: config.require('registryUsername'), password: config.requireSecret('registryPassword'), caPem };
// Flux's own read-only user or token (the pull Secret); without one Flux pulls with `auth`
const pullUsername = config.get('registryPullUsername');
const pull = pullUsername ? { username: pullUsername, password: config.requireSecret('registryPullPassword'), caPem } : undefined;

const bootstrap = new flux.Bootstrap('flux', {
  url: config.require('artifact'),
  artifactRegistry: { auth, pull },
  // a registry behind a private CA: Flux gets the CA too (the Secret's ca.crt, certSecretRef)
  oci: caPem ? { privateCa: true } : undefined,
  path: config.get('path') ?? 'clusters/demo',
  namespace: config.get('namespace'),
  version: config.get('version') ?? 'v2.9.3',
  distribution: config.get('distribution'),
  logLevel: config.get('logLevel'),
  interval: config.get('interval'),
  cluster: { kubeconfig: config.requireSecret('kubeconfig') },
  wait: { reconciliation: config.getBoolean('waitReconciliation') ?? true, deployments: config.getBoolean('waitDeployments') ?? true },
});

export const digest = bootstrap.commit;
export const revision = bootstrap.install.revision;
export const version = bootstrap.version;
