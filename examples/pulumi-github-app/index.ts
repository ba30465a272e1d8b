// flux bootstrap on GitHub or GitHub Enterprise as a GitHub App: the repository is created, the
// manifests pushed and Flux's GitRepository pulls, all with the App's installation tokens.
// No personal token, no deploy key. Rotating the App key: add a new key on the App's settings
// page, set appPrivateKey to it and `pulumi up` (Flux's Secret is updated in place), then
// delete the old key on GitHub.
import * as pulumi from '@pulumi/pulumi';
import * as flux from 'flux-bootstrap/pulumi';

const config = new pulumi.Config();

const bootstrap = new flux.Bootstrap('flux', {
  repository: {
    host: 'github',
    owner: config.require('owner'),
    name: config.require('repository'),
    // GitHub Enterprise: https://HOST/api/v3 (also Flux's githubAppBaseURL)
    apiUrl: config.get('apiUrl'),
    auth: {
      appId: config.require('appId'),
      installationId: config.require('installationId'),
      privateKey: config.requireSecret('appPrivateKey'),
      // GitHub Enterprise behind a private CA
      caPem: config.get('caPem'),
    },
  },
  path: config.get('path') ?? 'clusters/demo',
  namespace: config.get('namespace'),
  version: config.get('version') ?? 'v2.9.3',
  distribution: config.get('distribution'),
  cluster: { kubeconfig: config.requireSecret('kubeconfig') },
  wait: { reconciliation: config.getBoolean('waitReconciliation') ?? true, deployments: config.getBoolean('waitDeployments') ?? true },
});

export const repositoryUrl = bootstrap.repositoryUrl;
export const commit = bootstrap.commit;
export const version = bootstrap.version;
export const revision = bootstrap.install.revision;
