// Flux and its tenants in one stack: Bootstrap installs Flux from the fleet repository, then
// @pulumi/kubernetes declares each tenant's namespace, the credentials of its repository, and
// the Flux GitRepository and Kustomization that deploy it. The Kubernetes provider depends on
// the Bootstrap, so the tenants' objects are created after Flux's CRDs and controllers exist,
// and destroyed before them: Flux's finalizers run while the controllers are still there.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as flux from 'flux-bootstrap/pulumi';

interface Tenant {
  name: string;
  /** the tenant repository, https:// with a username and a password (tenantPasswords) */
  url: string;
  branch?: string;
  /** directory of the tenant's manifests (default "./") */
  path?: string;
  username?: string;
  /** CA of the tenant's Git server, when it is not publicly trusted */
  caPem?: string;
}

const config = new pulumi.Config();
const kubeconfig = config.requireSecret('kubeconfig');
const knownHosts = config.require('knownHosts');
const tenants = config.requireObject<Tenant[]>('tenants');
const passwords = config.getSecretObject<Record<string, string>>('tenantPasswords');

const bootstrap = new flux.Bootstrap('flux', {
  repository: {
    host: 'git',
    url: config.require('repositoryUrl'),
    push: { privateKey: config.requireSecret('pushPrivateKey'), knownHosts },
    addKeyCommand: config.getObject<string[]>('addKeyCommand'),
    removeKeyCommand: config.getObject<string[]>('removeKeyCommand'),
  },
  path: config.get('path') ?? 'clusters/tenants',
  namespace: config.get('namespace'),
  version: config.get('version') ?? 'v2.9.3',
  distribution: config.get('distribution'),
  cluster: { kubeconfig },
  deployKey: { knownHosts },
  // a cluster without nodes never runs the controller Deployments: wait for reconciliation only
  wait: { reconciliation: true, deployments: config.getBoolean('waitDeployments') ?? true },
});

// the same cluster; depending on the Bootstrap orders every tenant object after Flux
const cluster = new k8s.Provider('cluster', { kubeconfig }, { dependsOn: [bootstrap] });

export const tenantNamespaces = tenants.map((t) => {
  const ns = new k8s.core.v1.Namespace(t.name, { metadata: { name: t.name } }, { provider: cluster });
  const namespace = ns.metadata.name;
  const password = passwords?.apply((p) => p?.[t.name]);
  const auth =
    t.username !== undefined
      ? new k8s.core.v1.Secret(
          `${t.name}-git`,
          {
            metadata: { name: 'git-credentials', namespace },
            stringData: {
              username: t.username,
              password: password?.apply((p) => p ?? '') ?? '',
              ...(t.caPem ? { 'ca.crt': t.caPem } : {}),
            },
          },
          { provider: cluster },
        )
      : undefined;
  const source = new k8s.apiextensions.CustomResource(
    `${t.name}-source`,
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: t.name, namespace },
      spec: { url: t.url, interval: '1m', ref: { branch: t.branch ?? 'main' }, secretRef: auth ? { name: auth.metadata.name } : undefined },
    },
    { provider: cluster },
  );
  new k8s.apiextensions.CustomResource(
    `${t.name}-sync`,
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: t.name, namespace },
      spec: {
        interval: '5m',
        path: t.path ?? './',
        prune: true,
        targetNamespace: namespace,
        sourceRef: { kind: 'GitRepository', name: source.metadata.name },
      },
    },
    { provider: cluster },
  );
  return namespace;
});

export const commit = bootstrap.commit;
export const version = bootstrap.version;
