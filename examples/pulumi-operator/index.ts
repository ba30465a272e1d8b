// Flux through the Flux Operator: the operator, a FluxInstance and its manifest committed to the
// repository (so the cluster manages its own Flux from Git afterwards), from a plain Git server
// over SSH. The same program with flavor "classic" is `flux bootstrap`; switching a classic
// stack to "operator" with adopt set is the move: no downtime, the classic files replaced by the
// FluxInstance manifest in one commit.
import * as pulumi from '@pulumi/pulumi';
import * as flux from 'flux-bootstrap/pulumi';

const config = new pulumi.Config();
const knownHosts = config.require('knownHosts');
const flavor = config.get('flavor') === 'classic' ? 'classic' : 'operator';
// the controllers to run; default the four of a classic bootstrap
const components = config.getObject<flux.FluxInstanceInput['components']>('components');

const bootstrap = new flux.Bootstrap('flux', {
  flavor,
  repository: {
    host: 'git',
    url: config.require('repositoryUrl'),
    push: { privateKey: config.requireSecret('pushPrivateKey'), knownHosts },
    addKeyCommand: config.getObject<string[]>('addKeyCommand'),
    removeKeyCommand: config.getObject<string[]>('removeKeyCommand'),
  },
  path: config.get('path') ?? 'clusters/demo',
  // operator: a Flux release or a semver range the operator resolves ("2.x", "2.9.x");
  // classic: a release, e.g. v2.9.3
  version: config.get('version') ?? '2.x',
  components,
  // operator: the operator release, its Go module from the module proxy unless operatorSource names a copy
  operator: { version: config.get('operatorVersion') ?? 'v0.59.0', source: config.get('operatorSource') },
  instance: {
    distribution: { version: config.get('version') ?? '2.x' },
    components,
    cluster: { networkPolicy: config.getBoolean('networkPolicy') ?? true },
  },
  // classic only: a release directory or manifests.tar.gz (default the GitHub release)
  distribution: config.get('distribution'),
  cluster: { kubeconfig: config.requireSecret('kubeconfig') },
  deployKey: { knownHosts },
  wait: { reconciliation: config.getBoolean('waitReconciliation') ?? true, deployments: config.getBoolean('waitDeployments') ?? true },
  // the move from a classic bootstrap (ours, `flux bootstrap` or the Terraform provider's)
  adopt: config.getBoolean('adopt'),
});

export const commit = bootstrap.commit;
export const publicKey = bootstrap.publicKey;
export const version = bootstrap.version;
export const resolvedVersion = bootstrap.fluxInstance?.resolvedVersion;
