// A fleet: one repository, one directory per cluster (clusters/<name>/flux-system), one deploy
// key and one installation per cluster. The commits of the clusters race for the same branch;
// each is retried on top of the others, so `pulumi up` of the whole fleet needs no ordering.
import * as pulumi from '@pulumi/pulumi';
import * as flux from 'flux-bootstrap/pulumi';

const config = new pulumi.Config();
const token = config.requireSecret('githubToken');
const owner = config.require('owner');
const name = config.get('repository') ?? 'fleet';

// The repository once, so no cluster owns it.
const repository = new flux.Repository('fleet', { host: 'github', owner, name, token });

export const clusters: Record<string, pulumi.Output<string>> = {};
for (const cluster of config.requireObject<string[]>('clusters')) {
  const path = `clusters/${cluster}`;
  const options = { version: config.get('version') ?? 'v2.9.3', path, url: repository.syncUrl };
  const manifests = new flux.SyncManifests(`${cluster}-manifests`, {
    ...options,
    pushUrl: repository.pushUrl,
    auth: { username: 'git', password: token },
  });
  const key = new flux.DeployKey(
    `${cluster}-key`,
    {
      host: 'github',
      owner,
      name,
      token,
      title: flux.deployKeyTitle({ namespace: 'flux-system', branch: 'main', secretName: 'flux-system', path }),
      syncUrl: repository.syncUrl,
    },
    // after the files: a path another stack owns fails there, before its key of the same title is replaced
    { dependsOn: [repository, manifests] },
  );
  const install = new flux.ControllerInstall(
    `${cluster}-install`,
    {
      ...options,
      cluster: { kubeconfig: config.requireSecret(`kubeconfig-${cluster}`) },
      credentials: { privateKey: key.privateKey, publicKey: key.publicKey, knownHosts: key.knownHosts },
      commit: manifests.commit,
      committedKustomization: manifests.committedKustomization,
    },
    { dependsOn: [manifests, key] },
  );
  clusters[cluster] = install.revision;
}
