// FluxBootstrap on GitHub: which resources the synthesized Terraform holds, with which
// properties, and that what it commits and applies is exactly what the engine renders.
import { Repository } from '@cdktf/provider-github/lib/repository';
import { RepositoryDeployKey } from '@cdktf/provider-github/lib/repository-deploy-key';
import { RepositoryFile } from '@cdktf/provider-github/lib/repository-file';
import { DataGithubSshKeys } from '@cdktf/provider-github/lib/data-github-ssh-keys';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { Testing } from 'cdktf';
import { FluxBootstrap, KubectlManifest, KubectlProvider } from '../../provider/cdktf';
import { desiredState, type Distribution } from '../../provider/engine';
import { baseProps, resource, synthFlux, unescapeTemplate, type TfJson } from './support/cdktf';
import { distribution } from './support/reference';
import { secretOf, secretsOf } from './support/secret-manifest';

let dist: Distribution;
let json: TfJson;
let text: string;
let flux: FluxBootstrap;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
  ({ json, text, flux } = synthFlux(baseProps(dist, { path: 'clusters/prod' })));
});

test('a private repository, initialised so the branch exists, archived rather than deleted on destroy', () => {
  expect(text).toHaveResourceWithProperties(Repository, {
    name: 'fleet',
    visibility: 'private',
    auto_init: true,
    archive_on_destroy: true,
  });
});

test('an ed25519 deploy key, registered read-only under the title flux bootstrap gives it', () => {
  expect(text).toHaveResourceWithProperties(PrivateKey, { algorithm: 'ED25519' });
  const key = resource(json, 'github_repository_deploy_key');
  expect(key).toMatchObject({ title: 'flux-system-main-flux-system-./clusters/prod', read_only: true });
  expect(key.key).toMatch(/^\$\{tls_private_key\.flux_private-key_\w+\.public_key_openssh\}$/);
  expect(key.repository).toMatch(/^\$\{github_repository\.flux_repository_\w+\.name\}$/);
});

test("the three files, with the engine's content byte for byte and flux's commit messages", () => {
  const state = desiredState({ version: 'v2.9.3', url: 'ssh://git@github.com/acme/fleet', path: 'clusters/prod' }, dist);
  const files = Object.values(json.resource.github_repository_file);
  expect(files.map((f) => f.file)).toEqual(Object.keys(state.files));
  for (const f of files) {
    expect(unescapeTemplate(f.content)).toBe(state.files[f.file]);
    expect(f).toMatchObject({ branch: 'main', overwrite_on_create: true });
  }
  expect(files.map((f) => f.commit_message)).toEqual([
    'Add Flux v2.9.3 component manifests',
    'Add Flux sync manifests',
    'Add Flux sync manifests',
  ]);
  // flux leaves the author email blank; GitHub needs both or neither, so neither is set
  expect(files[0]).not.toHaveProperty('commit_author');
  expect(text).toHaveResourceWithProperties(RepositoryFile, { file: 'clusters/prod/flux-system/gotk-sync.yaml' });
});

test('"${" in a CRD description reaches Git and the cluster literally, escaped for Terraform', () => {
  const components = resource(json, 'github_repository_file', 'gotk-components');
  expect(components.content).toContain('$${var:=default}');
  expect(components.content.replace(/\$\$\{/g, '')).not.toContain('${');
  const crd = resource(json, 'kubectl_manifest', 'kustomizations-kustomize');
  expect(unescapeTemplate(crd.yaml_body)).toContain('${var:=default}');
});

test('every engine object, and the Secret, becomes one server-side applied kubectl_manifest, field manager flux', () => {
  const secrets = secretsOf(json).map((s) => s.manifest);
  expect(secrets).toHaveLength(1);
  for (const m of secrets) expect(m).toMatchObject({ server_side_apply: true, field_manager: 'flux', force_conflicts: true });
  const manifests = Object.values(json.resource.kubectl_manifest).filter((m) => !secrets.includes(m));
  expect(manifests).toHaveLength(flux.desired.objects.length);
  for (const m of manifests) expect(m).toMatchObject({ server_side_apply: true, field_manager: 'flux', force_conflicts: true });
  const bodies = manifests.map((m) => unescapeTemplate(m.yaml_body));
  expect(bodies.sort()).toEqual(flux.objects.map((o) => o.yaml).sort());
  expect(text).toHaveResourceWithProperties(KubectlManifest, { wait_for_rollout: true });
});

test("the flux-system Secret: identity, identity.pub and known_hosts from GitHub's published host keys", () => {
  const secret = secretOf(json);
  expect(secret.metadata).toEqual({ name: 'flux-system', namespace: 'flux-system' });
  expect(secret.type).toBeUndefined(); // Opaque, as flux writes it
  expect(Object.keys(secret.data).sort()).toEqual(['identity', 'identity.pub', 'known_hosts']);
  expect(secret.data.identity).toMatch(/^\$\{tls_private_key\.flux_private-key_\w+\.private_key_openssh\}$/);
  expect(secret.data.known_hosts).toMatch(
    /^\$\{join\("\\n", formatlist\("%s %s", "github\.com", data\.github_ssh_keys\.flux_ssh-keys_\w+\.keys\)\)\}$/,
  );
  expect(text).toHaveDataSource(DataGithubSshKeys);
});

test("the construct configures aliased providers, so the stack's own providers never clash", () => {
  expect(text).toHaveProviderWithProperties(GithubProvider, { alias: 'flux-github', owner: 'acme' });
  expect(text).toHaveProviderWithProperties(KubernetesProvider, {
    alias: 'flux-kubernetes',
    config_path: '/home/me/.kube/config',
    config_context: 'prod',
  });
  expect(text).toHaveProviderWithProperties(KubectlProvider, { alias: 'flux-kubectl', load_config_file: true, apply_retry_count: 3 });
  expect(json.terraform.required_providers.kubectl).toEqual({ source: 'alekc/kubectl', version: '2.2.0' });
  // terraform_data (the destroy guards) is built into Terraform: no provider
  for (const [type, byId] of Object.entries(json.resource).filter(([t]) => t !== 'terraform_data')) {
    for (const r of Object.values(byId)) expect(r.provider).toBe(`${type.split('_')[0]}.flux-${type.split('_')[0]}`);
  }
});

test('outputs: repository URL, sync URL, public key and paths', () => {
  const outputs = Object.fromEntries(Object.entries(json.output).map(([k, v]) => [k.replace(/^flux_|_[0-9A-F]{8}$/g, ''), v.value]));
  expect(outputs.sync_url).toBe('ssh://git@github.com/acme/fleet');
  expect(outputs.repository_url).toMatch(/^\$\{github_repository\.flux_repository_\w+\.html_url\}$/);
  expect(outputs.public_key).toMatch(/public_key_openssh\}$/);
  expect(outputs.paths).toEqual([
    'clusters/prod/flux-system/gotk-components.yaml',
    'clusters/prod/flux-system/gotk-sync.yaml',
    'clusters/prod/flux-system/kustomization.yaml',
  ]);
  expect(flux.syncUrl).toBe('ssh://git@github.com/acme/fleet');
});

test('Testing.synthScope works with the construct as a library user would call it', () => {
  const synth = Testing.synthScope((scope) => {
    new FluxBootstrap(scope, 'fleet', baseProps(dist));
  });
  expect(synth).toHaveResourceWithProperties(RepositoryDeployKey, { title: 'flux-system-main-flux-system' });
  expect(synth).toHaveProviderWithProperties(GithubProvider, { alias: 'fleet-github' });
});
