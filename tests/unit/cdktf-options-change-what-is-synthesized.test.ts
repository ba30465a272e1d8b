// Option effects: each FluxBootstrap option changes the synthesized Terraform the way it says.
import { Branch } from '@cdktf/provider-github/lib/branch';
import { DataGithubRepository } from '@cdktf/provider-github/lib/data-github-repository';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TerraformVariable } from 'cdktf';
import type { Distribution } from '../../provider/engine';
import { baseProps, CLUSTER, GITHUB, resource, synthFlux, unescapeTemplate } from './support/cdktf';
import { distribution } from './support/reference';
import { secretOf } from './support/secret-manifest';

let dist: Distribution;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
});

test('engine options reach the committed files and the applied objects', () => {
  const { json, flux } = synthFlux(
    baseProps(dist, {
      namespace: 'gitops',
      path: 'clusters/staging',
      componentsExtra: ['image-reflector-controller', 'image-automation-controller'],
      interval: '5m',
    }),
  );
  expect(flux.paths[0]).toBe('clusters/staging/gitops/gotk-components.yaml');
  const components = unescapeTemplate(resource(json, 'github_repository_file', 'gotk-components').content);
  expect(components).toContain(
    '# Components: source-controller,kustomize-controller,helm-controller,notification-controller,image-reflector-controller,image-automation-controller\n',
  );
  expect(resource(json, 'kubectl_manifest', 'deployment-gitops-image-automation-controller')).toBeDefined();
  expect(secretOf(json).metadata).toEqual({ name: 'flux-system', namespace: 'gitops' });
  expect(unescapeTemplate(resource(json, 'kubectl_manifest', 'gitrepository-gitops-gitops').yaml_body)).toContain('interval: 5m0s\n');
  expect(resource(json, 'github_repository_deploy_key').title).toBe('gitops-main-flux-system-./clusters/staging');
});

test('kustomization patches are committed and applied to the objects', () => {
  const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kustomize-controller\nspec:\n  replicas: 2\n';
  const { json } = synthFlux(
    baseProps(dist, { kustomization: { patches: [{ patch, target: { kind: 'Deployment', name: 'kustomize-controller' } }] } }),
  );
  expect(unescapeTemplate(resource(json, 'github_repository_file', 'kustomization').content)).toContain('replicas: 2');
  expect(unescapeTemplate(resource(json, 'kubectl_manifest', 'deployment-flux-system-kustomize-controller').yaml_body)).toContain(
    'replicas: 2\n',
  );
});

test('key algorithms: ecdsa p384 and rsa as PKCS#8 PEM, ed25519 in OpenSSH form', () => {
  const ecdsa = synthFlux(baseProps(dist, { deployKey: { algorithm: 'ecdsa' } }));
  expect(ecdsa.text).toHaveResourceWithProperties(PrivateKey, { algorithm: 'ECDSA', ecdsa_curve: 'P384' });
  expect(secretOf(ecdsa.json).data.identity).toMatch(/private_key_pem_pkcs8\}$/);
  const rsa = synthFlux(baseProps(dist, { deployKey: { algorithm: 'rsa', bits: 3072 } }));
  expect(rsa.text).toHaveResourceWithProperties(PrivateKey, { algorithm: 'RSA', rsa_bits: 3072 });
});

test('a given key pair: no tls_private_key, the values go to the Secret and the deploy key', () => {
  const { json } = synthFlux(
    baseProps(dist, { deployKey: { privateKey: '${var.flux_private_key}', publicKey: 'ssh-ed25519 AAAAexample' } }),
  );
  expect(json.resource.tls_private_key).toBeUndefined();
  expect(json.provider.tls).toBeUndefined();
  expect(secretOf(json).data).toMatchObject({
    identity: '${var.flux_private_key}',
    'identity.pub': 'ssh-ed25519 AAAAexample',
  });
  expect(resource(json, 'github_repository_deploy_key').key).toBe('ssh-ed25519 AAAAexample');
});

test('readWrite and title change the deploy key', () => {
  const { json } = synthFlux(baseProps(dist, { deployKey: { readWrite: true, title: 'fleet-prod' } }));
  expect(resource(json, 'github_repository_deploy_key')).toMatchObject({ read_only: false, title: 'fleet-prod' });
});

test('an existing repository is read through a data source; create: false never makes one', () => {
  const { text, json } = synthFlux(baseProps(dist, { repository: { ...GITHUB, create: false } }));
  expect(text).toHaveDataSourceWithProperties(DataGithubRepository, { full_name: 'acme/fleet' });
  expect(json.resource.github_repository).toBeUndefined();
});

test('a branch other than main is made from main, and the first file waits for it', () => {
  const { text, json } = synthFlux(baseProps(dist, { branch: 'fleet-prod' }));
  expect(text).toHaveResourceWithProperties(Branch, { branch: 'fleet-prod' });
  expect(resource(json, 'github_repository_file', 'gotk-components').depends_on).toEqual([expect.stringMatching(/^github_branch\./)]);
  for (const f of Object.values(json.resource.github_repository_file)) expect(f.branch).toBe('fleet-prod');
});

test('commit author and appendix', () => {
  const { json } = synthFlux(
    baseProps(dist, { authorName: 'Fleet Bot', authorEmail: 'bot@example.com', commitMessageAppendix: '[skip ci]' }),
  );
  expect(resource(json, 'github_repository_file', 'gotk-sync')).toMatchObject({
    commit_author: 'Fleet Bot',
    commit_email: 'bot@example.com',
    commit_message: 'Add Flux sync manifests\n\n[skip ci]',
  });
});

test('apply settings: no rollout wait, another field manager, retries', () => {
  const { json } = synthFlux(baseProps(dist, { apply: { waitForRollout: false, fieldManager: 'platform', applyRetryCount: 7 } }));
  expect(resource(json, 'kubectl_manifest', 'deployment-flux-system-source-controller')).toMatchObject({
    wait_for_rollout: false,
    field_manager: 'platform',
  });
  expect(resource(json, 'kubectl_manifest', 'service-flux-system-source-controller')).not.toHaveProperty('wait_for_rollout');
  expect(json.provider.kubectl[0]).toMatchObject({ apply_retry_count: 7 });
});

test("GitRepository and Kustomization wait for Ready (flux bootstrap's 5m timeout) unless told not to", () => {
  const { json } = synthFlux(baseProps(dist));
  for (const kind of ['gitrepository', 'kustomization-flux-system-flux-system']) {
    expect(resource(json, 'kubectl_manifest', kind)).toMatchObject({
      wait_for: [{ condition: [{ type: 'Ready', status: 'True' }] }],
      timeouts: { create: '5m' },
    });
  }
  expect(resource(json, 'kubectl_manifest', 'deployment-flux-system-helm-controller').timeouts).toEqual({ create: '5m' });
  expect(resource(json, 'kubectl_manifest', 'namespace-flux-system')).not.toHaveProperty('wait_for');
  const off = synthFlux(baseProps(dist, { apply: { waitForReady: false, timeout: '12m' } })).json;
  expect(resource(off, 'kubectl_manifest', 'gitrepository')).not.toHaveProperty('wait_for');
  expect(resource(off, 'kubectl_manifest', 'gitrepository').timeouts).toEqual({ create: '12m' });
});

test('an inline connection: both providers get it, kubectl does not also read ~/.kube/config', () => {
  const cluster = { host: 'https://10.0.0.1:6443', token: '${var.kube_token}', clusterCaCertificate: '-----BEGIN CERTIFICATE-----\n...' };
  const { json } = synthFlux(baseProps(dist, { cluster }));
  expect(json.provider.kubernetes[0]).toMatchObject({
    host: cluster.host,
    token: cluster.token,
    cluster_ca_certificate: cluster.clusterCaCertificate,
  });
  expect(json.provider.kubectl[0]).toMatchObject({ host: cluster.host, token: cluster.token, load_config_file: false });
});

test('an image pull secret with registry credentials from a variable, as dockerconfigjson', () => {
  const { json } = synthFlux((stack) => {
    const creds = new TerraformVariable(stack, 'registry_creds', { type: 'string', sensitive: true });
    return baseProps(dist, { imagePullSecret: 'flux-registry', registryCredentials: creds.stringValue, cluster: CLUSTER });
  });
  const pull = secretOf(json, 'image-pull-secret');
  expect(pull).toMatchObject({ type: 'kubernetes.io/dockerconfigjson', metadata: { name: 'flux-registry', namespace: 'flux-system' } });
  expect(pull.data['.dockerconfigjson']).toContain('base64encode(var.registry_creds)');
  expect(pull.data['.dockerconfigjson']).toContain('"ghcr.io/fluxcd"');
  expect(unescapeTemplate(resource(json, 'kubectl_manifest', 'deployment-flux-system-source-controller').yaml_body)).toContain(
    'imagePullSecrets:\n      - name: flux-registry\n',
  );
});

test('url overrides the sync URL the repository gives', () => {
  const { flux } = synthFlux(baseProps(dist, { url: 'ssh://git@ssh.github.com:443/acme/fleet' }));
  expect(flux.syncUrl).toBe('ssh://git@ssh.github.com:443/acme/fleet');
  expect(flux.desired.secretShape.source.knownHostsName).toBe('[ssh.github.com]:443');
});
