// FluxBootstrap: depends_on puts CRDs before the objects that need them and the sync objects
// after the controllers, the Secret, the files and the deploy key; secrets stay references; two
// synths are byte-identical; bad props fail before anything is built, with the engine's messages.
import { App, TerraformStack, Testing } from 'cdktf';
import { FluxBootstrap, InputErrors, type FluxBootstrapProps } from '../../provider/cdktf';
import type { Distribution } from '../../provider/engine';
import { baseProps, GITHUB, ref, resource, synthFlux, type TfJson } from './support/cdktf';
import { distribution, distributionDir } from './support/reference';
import { secretOf } from './support/secret-manifest';

let dist: Distribution;
let json: TfJson;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
  ({ json } = synthFlux(baseProps(dist)));
});

const manifestsOf = (stageIds: (id: string) => boolean) =>
  Object.keys(json.resource.kubectl_manifest)
    .filter(stageIds)
    .map((id) => `kubectl_manifest.${id}`);
const isFirstStage = (id: string) => /^flux_(namespace|customresourcedefinition)-/.test(id);
const isSync = (id: string) => /^flux_(gitrepository|kustomization)-/.test(id);
const isSecret = (id: string) => /^flux_source-secret_/.test(id);

test('Namespace and CRDs depend on no other object; every other object waits for all of them', () => {
  const first = manifestsOf(isFirstStage);
  expect(first.length).toBeGreaterThan(5);
  for (const [id, m] of Object.entries(json.resource.kubectl_manifest).filter(([id]) => !isSecret(id))) {
    // only on the guard that deletes the CRDs at destroy, last (cdktf-destroy-follows-flux-uninstall-order);
    // the install namespace also on the record made before it is applied
    const guards = ['destroy-crds', ...(/^flux_namespace-flux-system_/.test(id) ? ['namespace-record'] : [])];
    if (isFirstStage(id)) expect(m.depends_on).toEqual(guards.map((g) => ref(json, 'terraform_data', g)));
    // and for the guard that strips finalizers at destroy (cdktf-destroy-follows-flux-uninstall-order)
    else if (!isSync(id)) expect([...m.depends_on].sort()).toEqual([...first, ref(json, 'terraform_data', 'destroy-finalizers')].sort());
  }
});

test('GitRepository and Kustomization wait for the controllers, the Secret, the three files and the deploy key', () => {
  const components = manifestsOf((id) => !isFirstStage(id) && !isSync(id) && !isSecret(id));
  const expected = [
    ...components,
    ref(json, 'kubectl_manifest', 'source-secret'),
    ref(json, 'github_repository_file', 'gotk-components'),
    ref(json, 'github_repository_file', 'gotk-sync'),
    ref(json, 'github_repository_file', 'kustomization'),
    ref(json, 'github_repository_deploy_key', 'deploy-key'),
  ];
  for (const kind of ['gitrepository', 'kustomization-flux-system-flux-system']) {
    expect([...resource(json, 'kubectl_manifest', kind).depends_on].sort()).toEqual([...expected].sort());
  }
});

test("the Secret waits for its namespace; the files commit one after another in flux's order", () => {
  expect(resource(json, 'kubectl_manifest', 'source-secret').depends_on).toEqual([ref(json, 'kubectl_manifest', 'namespace-flux-system')]);
  expect(resource(json, 'github_repository_file', 'gotk-components').depends_on).toBeUndefined();
  expect(resource(json, 'github_repository_file', 'gotk-sync').depends_on).toEqual([
    ref(json, 'github_repository_file', 'gotk-components'),
  ]);
  expect(resource(json, 'github_repository_file', 'kustomization').depends_on).toEqual([ref(json, 'github_repository_file', 'gotk-sync')]);
});

test('secrets stay Terraform references: the private key never appears in an output or in clear text', () => {
  const secret = secretOf(json);
  expect(secret.data.identity).toMatch(/^\$\{tls_private_key\./);
  for (const o of Object.values(json.output)) expect(JSON.stringify(o.value)).not.toMatch(/\.private_key_|BEGIN/);
  const withVars = synthFlux(
    baseProps(dist, {
      deployKey: { privateKey: '${var.flux_key}', publicKey: '${var.flux_pub}' },
      imagePullSecret: 'regcred',
      registryCredentials: '${var.registry}',
    }),
  );
  expect(withVars.text).not.toMatch(/BEGIN|user:password/);
  // a reference written as a template stays one: Terraform reads it from a local, as it read the
  // data of the kubernetes_secret_v1 before
  expect(secretOf(withVars.json, 'source-secret').data).toMatchObject({ identity: '${var.flux_key}', 'identity.pub': '${var.flux_pub}' });
});

test('two synths of the same props are byte-identical', () => {
  const again = () => synthFlux(baseProps(dist, { componentsExtra: ['image-reflector-controller'] })).text;
  expect(again()).toBe(again());
});

test('loading the release by directory at synth (a child process) gives the same Terraform as a loaded Distribution', () => {
  const byDir = synthFlux({ ...baseProps(dist), distribution: distributionDir('v2.9.3') }).text;
  expect(byDir).toBe(synthFlux(baseProps(dist)).text);
});

function errorsOf(props: FluxBootstrapProps): { messages: string[]; children: number } {
  const stack = new TerraformStack(Testing.app(), 'bad');
  try {
    new FluxBootstrap(stack, 'flux', props);
  } catch (e) {
    if (!(e instanceof InputErrors)) throw e;
    return { messages: e.errors.map((x) => x.message), children: stack.node.children.length };
  }
  throw new Error('no error');
}

test("bad engine options fail at construction with the engine's messages, every one, before anything is built", () => {
  const { messages, children } = errorsOf(baseProps(dist, { namespace: 'Flux_System', interval: 'soon' }));
  expect(children).toBe(0);
  expect(messages).toContain(
    'invalid namespace "Flux_System": must be a lowercase RFC 1123 label (a-z, 0-9, \'-\'). Fix: use e.g. "flux-system".',
  );
  expect(messages.some((m) => m.startsWith('invalid interval "soon"'))).toBe(true);
});

test('bad construct props: repository, key, url, GitLab without known_hosts, values only known at apply', () => {
  const messages = errorsOf(
    baseProps(dist, {
      repository: { host: 'gitlab', owner: 'acme', name: 'fleet/x' },
      deployKey: { algorithm: 'ed25519', bits: 1024, privateKey: '${var.k}' },
      path: '${var.path}',
    }),
  ).messages;
  expect(messages).toEqual(
    expect.arrayContaining([
      'invalid repository.name "fleet/x": must be a repository name (letters, digits, ".", "_", "-"; no ".git"). Fix: use e.g. "fleet".',
      expect.stringMatching(/^missing repository\.knownHosts: a value is required for GitLab/),
      'invalid deployKey.bits 1024: does not apply to a given privateKey. Fix: remove bits, or remove privateKey to generate a key.',
      expect.stringMatching(/^missing deployKey\.publicKey: /),
    ]),
  );
  expect(errorsOf(baseProps(dist, { apply: { timeout: 'soon' } })).messages).toEqual([
    'invalid apply.timeout "soon": must be a positive Go duration. Fix: use e.g. "5m" or "1m30s".',
  ]);
  const synthTime = errorsOf(baseProps(dist, { path: '${var.path}' })).messages;
  expect(synthTime).toEqual([expect.stringMatching(/^invalid path "\$\{var\.path\}": must be known at synth time/)]);
  expect(errorsOf(baseProps(dist, { url: 'https://github.com/acme/fleet.git' })).messages).toEqual([
    expect.stringMatching(/^invalid url "https:\/\/github\.com\/acme\/fleet\.git": must be an ssh:\/\/ URL/),
  ]);
});

test('a version the distribution is not, and a secret that is wrong, are named without the secret', () => {
  const mismatch = errorsOf(baseProps(dist, { version: 'v2.8.5' }));
  expect(mismatch.children).toBe(0);
  expect(mismatch.messages[0]).toMatch(/^invalid version "v2\.8\.5": does not match the distribution, which is Flux v2\.9\.3/);
  const m = errorsOf(baseProps(dist, { registryCredentials: 'robot-no-colon', imagePullSecret: 'regcred' })).messages;
  expect(m).toEqual([expect.stringMatching(/^invalid registryCredentials \[secret\]: /)]);
  expect(m.join()).not.toContain('robot');
});

test('two FluxBootstrap in one stack (two clusters, one repository each) get their own provider aliases', () => {
  const stack = new TerraformStack(new App({ outdir: Testing.app().outdir }), 'fleet');
  new FluxBootstrap(stack, 'prod', baseProps(dist, { path: 'clusters/prod' }));
  new FluxBootstrap(stack, 'staging', baseProps(dist, { path: 'clusters/staging', repository: { ...GITHUB, name: 'fleet-staging' } }));
  const j = JSON.parse(Testing.synth(stack, true)) as TfJson;
  expect(j.provider.github.map((p) => p.alias).sort()).toEqual(['prod-github', 'staging-github']);
  expect(j.provider.kubectl.map((p) => p.alias).sort()).toEqual(['prod-kubectl', 'staging-kubectl']);
});
