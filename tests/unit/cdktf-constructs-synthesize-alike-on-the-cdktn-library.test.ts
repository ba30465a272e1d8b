// The constructs in a project on CDK Terrain: App and TerraformStack from the `cdktn` library
// (0.24, a devDependency here as in a user's project), no alias to cdktf. Every element they add
// is cdktn's, so cdktn's synth runs (a cdktf element there fails with "_resetResolveDiscovered
// ProviderFeatureUsage is not a function"), and the Terraform is the one the same props give on
// cdktf 0.21, but for the library's own metadata ("//").
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as cdktf from 'cdktf';
import * as cdktn from 'cdktn';
import {
  FluxBootstrap,
  FluxCluster,
  KubectlManifest,
  KubectlProvider,
  type FluxBootstrapProps,
  type FluxClusterProps,
} from '../../provider/cdktf';
import type { Distribution } from '../../provider/engine';
import { baseProps, GITLAB_KNOWN_HOSTS } from './support/cdktf';
import { distribution } from './support/reference';

type Library = typeof cdktf; // cdktn's API is cdktf's and more
const LIBRARIES: [string, Library][] = [
  ['cdktf', cdktf],
  ['cdktn', cdktn as unknown as Library],
];

let dist: Distribution;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
});

/** Terraform JSON of a stack built on `lib`, without the library's metadata. */
function synth(lib: Library, build: (stack: cdktf.TerraformStack) => void): { json: unknown; stack: cdktf.TerraformStack } {
  const stack = new lib.TerraformStack(lib.Testing.app(), 'fleet');
  build(stack);
  const json = JSON.parse(lib.Testing.synth(stack, true), (k, v: unknown) => (k === '//' ? undefined : v)) as unknown;
  return { json, stack };
}

/** The same build on both libraries: their JSON, and the cdktn stack. */
function both(build: (lib: Library, stack: cdktf.TerraformStack) => void) {
  const [onCdktf, onCdktn] = LIBRARIES.map(([, lib]) => synth(lib, (s) => build(lib, s)));
  return { cdktf: onCdktf.json, cdktn: onCdktn.json, cdktnStack: onCdktn.stack };
}

/** Every Terraform element under `stack` is the library's own. */
function foreign(lib: Library, stack: cdktf.TerraformStack): string[] {
  return stack.node
    .findAll()
    .filter((c) => c !== stack && (c as { toTerraform?: unknown }).toTerraform !== undefined && !(c instanceof lib.TerraformElement))
    .map((c) => c.node.path);
}

const gitlab: FluxBootstrapProps['repository'] = { host: 'gitlab', owner: 'acme/platform', name: 'fleet', knownHosts: GITLAB_KNOWN_HOSTS };

test.each([
  ['GitHub, created repository, generated key', {}],
  [
    'GitHub, existing repository, another branch, rsa key, image pull secret',
    {
      repository: { host: 'github', owner: 'acme', name: 'fleet', create: false },
      branch: 'dev',
      deployKey: { algorithm: 'rsa' },
      imagePullSecret: 'regcred',
      registryCredentials: 'u:p',
    },
  ],
  ['GitLab, project in a group, another branch', { repository: gitlab, branch: 'dev' }],
  [
    'GitHub App',
    { repository: { host: 'github', owner: 'acme', name: 'fleet', auth: { appId: '1', installationId: '2', privateKey: '${var.pem}' } } },
  ],
] as [string, Partial<FluxBootstrapProps>][])('FluxBootstrap (%s): the same Terraform on cdktn as on cdktf', (_, extra) => {
  const r = both((_lib, stack) => new FluxBootstrap(stack, 'flux', baseProps(dist, extra)));
  expect(r.cdktn).toEqual(r.cdktf);
  expect(foreign(cdktn as unknown as Library, r.cdktnStack)).toEqual([]);
});

test('FluxCluster over SSH with a sensitive key, and gitless from an OCI registry: the same Terraform', () => {
  const ssh = (lib: Library, stack: cdktf.TerraformStack): FluxClusterProps => ({
    version: 'v2.9.3',
    distribution: dist,
    url: 'ssh://git@git.example.com/fleet.git',
    credentials: {
      privateKey: new lib.TerraformVariable(stack, 'key', { type: 'string', sensitive: true }).stringValue,
      publicKey: 'ssh-ed25519 AAAA',
      knownHosts: 'git.example.com ssh-ed25519 AAAA',
    },
    cluster: { configPath: '/home/me/.kube/config' },
  });
  const r = both((lib, stack) => new FluxCluster(stack, 'flux', ssh(lib, stack)));
  expect(r.cdktn).toEqual(r.cdktf);
  const oci = both((lib, stack) => {
    const password = new lib.TerraformVariable(stack, 'pw', { type: 'string', sensitive: true }).stringValue;
    new FluxCluster(stack, 'flux', {
      ...ssh(lib, stack),
      url: 'oci://registry.example.com/fleet:prod',
      oci: { privateCa: true },
      credentials: { username: 'reader', password, caPem: 'CA' },
    });
  });
  expect(oci.cdktn).toEqual(oci.cdktf);
  expect(foreign(cdktn as unknown as Library, oci.cdktnStack)).toEqual([]);
});

test("cdktn's App synthesizes a FluxBootstrap to valid JSON, with cdktn's version in the metadata", () => {
  const outdir = cdktn.Testing.app().outdir;
  const app = new cdktn.App({ outdir });
  const stack = new cdktn.TerraformStack(app, 'fleet');
  new FluxBootstrap(stack, 'flux', baseProps(dist));
  app.synth(); // what failed before: cdktn resets each element's provider-feature usage here
  const file = path.join(outdir, 'stacks', 'fleet', 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    '//': { metadata: { version: string } };
    resource: Record<string, unknown>;
    removed?: { from: string }[];
  };
  expect(json['//'].metadata.version).toBe('0.24.0');
  expect(Object.keys(json.resource).sort()).toEqual([
    'github_repository',
    'github_repository_deploy_key',
    'github_repository_file',
    'kubectl_manifest',
    'terraform_data',
    'tls_private_key',
  ]);
  // the element that writes the removed block is cdktn's too (secret-manifest.ts)
  expect(json.removed?.map((r) => r.from)).toEqual([expect.stringMatching(/^kubernetes_secret_v1\.flux_source-secret_/)]);
});

test("the user's own cdktn providers: passed to the construct, and KubectlProvider made on cdktn", () => {
  const r = both((lib, stack) => {
    const kubectl = new KubectlProvider(stack, 'kubectl', { alias: 'mine', configPath: '/kube' });
    new KubectlManifest(stack, 'extra', { provider: kubectl, yamlBody: 'kind: ConfigMap\n', serverSideApply: true });
    new FluxBootstrap(stack, 'flux', baseProps(dist, { cluster: { configPath: '/kube', kubectlProvider: kubectl } }));
    expect(kubectl).toBeInstanceOf(lib.TerraformProvider);
    expect(kubectl).toBeInstanceOf(KubectlProvider);
  });
  expect(r.cdktn).toEqual(r.cdktf);
  expect(foreign(cdktn as unknown as Library, r.cdktnStack)).toEqual([]);
});
