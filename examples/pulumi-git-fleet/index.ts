// A fleet on a plain Git server over SSH: one repository, one directory per cluster
// (clusters/<name>/flux-system) and one deploy key per cluster, all in one stack. The commits
// of the clusters race for the same branch; each is retried on top of the others, so the
// whole fleet goes up in parallel with no ordering. A cluster whose kubeconfig is not set yet
// (`kubeconfig-<name>`) gets its key and manifests now and its installation once it is set.
import * as pulumi from '@pulumi/pulumi';
import * as flux from 'flux-bootstrap/pulumi';

const config = new pulumi.Config();
const url = config.require('repositoryUrl');
const knownHosts = config.require('knownHosts');
const push = { privateKey: config.requireSecret('pushPrivateKey'), knownHosts };
const version = config.get('version') ?? 'v2.9.3';
const distribution = config.get('distribution');
const addKeyCommand = config.getObject<string[]>('addKeyCommand');
const removeKeyCommand = config.getObject<string[]>('removeKeyCommand');
// several "clusters" on one API server (a test bed) need one Flux namespace each
const namespacePerCluster = config.getBoolean('namespacePerCluster') ?? false;
// a cluster without nodes never runs the controllers: turn the Deployment wait off there
const wait = { reconciliation: config.getBoolean('waitReconciliation') ?? true, deployments: config.getBoolean('waitDeployments') ?? true };

// The repository once, adopted as it is (plain git has no API to create it).
const repository = new flux.Repository('fleet', { host: 'git', url });

export const commits: Record<string, pulumi.Output<string>> = {};
for (const cluster of config.requireObject<string[]>('clusters')) {
  const path = `clusters/${cluster}`;
  const namespace = namespacePerCluster ? `flux-${cluster}` : undefined;
  const manifests = new flux.SyncManifests(
    `${cluster}-manifests`,
    {
      version,
      distribution,
      path,
      namespace,
      url: repository.syncUrl,
      pushUrl: repository.pushUrl,
      auth: push,
    },
    { dependsOn: [repository] },
  );
  const key = new flux.DeployKey(
    `${cluster}-key`,
    {
      host: 'git',
      url,
      addKeyCommand,
      removeKeyCommand,
      knownHosts,
      rotation: config.get('keyRotation'),
      title: flux.deployKeyTitle({ namespace: namespace ?? 'flux-system', branch: 'main', secretName: 'flux-system', path }),
      syncUrl: repository.syncUrl,
    },
    // after the files: a path another stack owns fails there, before its key of the same title is replaced
    { dependsOn: [repository, manifests] },
  );
  commits[cluster] = manifests.commit;
  const kubeconfig = config.getSecret(`kubeconfig-${cluster}`);
  if (kubeconfig) {
    new flux.ControllerInstall(
      `${cluster}-install`,
      {
        version,
        distribution,
        path,
        namespace,
        url: repository.syncUrl,
        cluster: { kubeconfig },
        wait,
        credentials: { privateKey: key.privateKey, publicKey: key.publicKey, knownHosts: key.knownHosts },
        commit: manifests.commit,
        committedKustomization: manifests.committedKustomization,
      },
      { dependsOn: [manifests, key] },
    );
  }
}
