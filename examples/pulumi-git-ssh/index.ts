// flux bootstrap from a plain Git server over SSH: the repository exists, a key that may push
// is given, the deploy key Flux pulls with is generated here and registered by a command of
// your Git server (gitolite, an internal tool) given as addKeyCommand.
import * as pulumi from '@pulumi/pulumi';
import * as flux from 'flux-bootstrap/pulumi';

const config = new pulumi.Config();
const knownHosts = config.require('knownHosts');

const bootstrap = new flux.Bootstrap('flux', {
  repository: {
    host: 'git',
    url: config.require('repositoryUrl'),
    push: { privateKey: config.requireSecret('pushPrivateKey'), knownHosts },
    addKeyCommand: config.getObject<string[]>('addKeyCommand'),
    removeKeyCommand: config.getObject<string[]>('removeKeyCommand'),
  },
  path: config.get('path') ?? 'clusters/demo',
  branch: config.get('branch'),
  namespace: config.get('namespace'),
  version: config.get('version') ?? 'v2.9.3',
  // a directory or manifests.tar.gz of the release; default: the GitHub release, cached
  distribution: config.get('distribution'),
  cluster: { kubeconfig: config.requireSecret('kubeconfig') },
  deployKey: { knownHosts, rotation: config.get('keyRotation') },
  // a cluster without nodes (like the test harness) never runs the controllers: turn waiting off there
  wait: { reconciliation: config.getBoolean('waitReconciliation') ?? true, deployments: config.getBoolean('waitDeployments') ?? true },
  adopt: config.getBoolean('adopt'),
  // set once the cluster is deleted before this stack is destroyed
  deleteUnreachable: config.getBoolean('deleteUnreachable'),
});

export const repositoryUrl = bootstrap.repositoryUrl;
export const commit = bootstrap.commit;
export const publicKey = bootstrap.publicKey;
export const version = bootstrap.version;
export const components = bootstrap.components;
export const files = bootstrap.manifests.files;
export const plan = bootstrap.manifests.plan;
export const drift = bootstrap.install.drift;
