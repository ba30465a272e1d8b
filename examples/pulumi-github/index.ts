// flux bootstrap github: the repository is created (private) when missing, a read-only deploy
// key is generated and registered, the manifests are pushed over https with the token, and the
// cluster syncs over ssh with the deploy key.
import * as pulumi from '@pulumi/pulumi';
import * as flux from 'flux-bootstrap/pulumi';

const config = new pulumi.Config();

const bootstrap = new flux.Bootstrap('prod', {
  repository: {
    host: 'github',
    owner: config.require('owner'),
    name: config.require('repository'),
    token: config.requireSecret('githubToken'),
    visibility: 'private',
  },
  path: config.get('path') ?? 'clusters/prod',
  version: config.get('version') ?? 'v2.9.3',
  cluster: { kubeconfig: config.requireSecret('kubeconfig') },
  // change to rotate the deploy key: the new key is registered before the old one is removed
  deployKey: { rotation: config.get('keyRotation') },
});

export const repositoryUrl = bootstrap.repositoryUrl;
export const commit = bootstrap.commit;
export const publicKey = bootstrap.publicKey;
export const version = bootstrap.version;
export const components = bootstrap.components;
