// harness: kube, opentofu
// No secret in plaintext with CDKTF (issue 14, scenario 9): the secrets a FluxCluster is given
// as sensitive variables (the deploy key's private key, the API server token, the registry
// credentials) are references in the synthesized cdk.tf.json, sit in the plan JSON
// (`tofu show -json <planfile>`) and in the state only where it marks them sensitive, and never
// reach what tofu prints: plan, apply (the Secrets in a real API server) and destroy (whose
// destroy-time steps receive the token).
import { LocalBackend, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FluxCluster } from '../../provider/cdktf';
import { generateDeployKey } from '../../provider/keys';
import type { KubeInfo } from '../harness/kube';
import { uniqueName } from '../harness/kube-client';
import { KubeRest } from '../harness/kube-rest';
import { pinToMirror, tofuOk, type OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { distributionDir } from '../unit/support/reference';
import { findSecrets, secretsIn } from './plan-json-secrets';

const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const kube = harnessInfo<KubeInfo>('kube');
const namespace = uniqueName('flux-secrets');
const key = generateDeployKey();
const registryPassword = randomBytes(18).toString('hex');
const registryCredentials = `robot:${registryPassword}`;
const base64 = (s: string) => Buffer.from(s).toString('base64');
// each secret, and the forms the Secrets carry it in: the Secrets' bodies (kubectl_manifest
// yaml_body) hold their data base64-encoded, the pull Secret's as Terraform's jsonencode writes it
const SECRETS: Record<string, string> = {
  privateKey: key.privateKeyPem.split('\n').find((l: string) => l.length > 40 && !l.startsWith('-----'))!,
  privateKeyInSecret: base64(key.privateKeyPem),
  token: kube.token,
  registryPassword,
  registryAuth: base64(registryCredentials),
  registryConfigInSecret: base64(
    JSON.stringify({ auths: { 'ghcr.io/fluxcd': { auth: base64(registryCredentials), password: registryPassword, username: 'robot' } } }),
  ),
};
const env = { TF_VAR_private_key: key.privateKeyPem, TF_VAR_kube_token: kube.token, TF_VAR_registry_credentials: registryCredentials };
let stackDir: string;
let outdir: string;
const logs: string[] = [];
/** Runs tofu; what it prints for people is kept for the scan (`show -json` is data, scanned apart). */
const run = (args: string[]) => {
  const r = tofuOk(tofu, [...args, '-no-color'], stackDir, [0], env);
  if (!args.includes('-json')) logs.push(r.stdout, r.stderr);
  return r;
};
const leaks = (doc: unknown) => findSecrets(doc, SECRETS).filter((h) => !h.sensitive);

beforeAll(() => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'secrets');
  new LocalBackend(stack, { path: path.join(app.outdir, 'terraform.tfstate') });
  const variable = (name: string) => new TerraformVariable(stack, name, { type: 'string', sensitive: true }).stringValue;
  new FluxCluster(stack, 'flux', {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    namespace,
    path: 'clusters/secrets',
    url: 'ssh://git@127.0.0.1:2222/acme/fleet',
    credentials: {
      privateKey: variable('private_key'),
      publicKey: key.publicKey,
      knownHosts: `[127.0.0.1]:2222 ${generateDeployKey().publicKey.split(' ').slice(0, 2).join(' ')}`,
    },
    imagePullSecret: 'regcred',
    registryCredentials: variable('registry_credentials'),
    cluster: { host: kube.server, clusterCaCertificate: kube.ca, token: variable('kube_token') },
    apply: { waitForRollout: false, waitForReady: false },
  });
  app.synth();
  outdir = app.outdir;
  stackDir = path.join(app.outdir, 'stacks', 'secrets');
  pinToMirror(tofu, path.join(stackDir, 'cdk.tf.json'));
  run(['init']);
});

afterAll(() => {
  // the state holds the secrets (marked sensitive)
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

test('the synthesized cdk.tf.json holds references, never the secret values', () => {
  const text = fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
  expect(secretsIn(text, SECRETS)).toEqual([]);
  expect(text).toContain('var.private_key');
  expect(text).toContain('var.kube_token');
  expect(text).toContain('var.registry_credentials');
});

test('the plan JSON holds every secret, each only where it is marked sensitive; plan and apply print none', async () => {
  run(['plan', '-out=tfplan']);
  const plan = JSON.parse(run(['show', '-json', 'tfplan']).stdout) as unknown;
  const hits = findSecrets(plan, SECRETS);
  // the scan sees them (a scan that finds nothing proves nothing): all but the registry's auth,
  // which the plan holds only inside the pull Secret's encoded body (registryConfigInSecret)...
  expect([...new Set(hits.map((h) => h.secret))].sort()).toEqual(
    Object.keys(SECRETS)
      .filter((k) => k !== 'registryAuth')
      .sort(),
  );
  // ...and every place is marked sensitive
  expect(leaks(plan)).toEqual([]);

  run(['apply', '-auto-approve', '-parallelism=10', 'tfplan']);
  const rest = new KubeRest(kube);
  const pull = await rest.get(`/api/v1/namespaces/${namespace}/secrets/regcred`);
  expect(Buffer.from(pull.data['.dockerconfigjson'], 'base64').toString()).toContain(SECRETS.registryAuth);
  const source = await rest.get(`/api/v1/namespaces/${namespace}/secrets/flux-system`);
  expect(Buffer.from(source.data.identity, 'base64').toString()).toBe(key.privateKeyPem);

  // the state, as JSON and as `tofu show` prints it (terraform_data's output once leaked here)
  const state = JSON.parse(run(['show', '-json']).stdout) as unknown;
  expect(findSecrets(state, SECRETS).length).toBeGreaterThan(0);
  expect(leaks(state)).toEqual([]);
  run(['show']);
  // a plan after the apply carries the state as prior_state
  run(['plan', '-out=tfplan2']);
  expect(leaks(JSON.parse(run(['show', '-json', 'tfplan2']).stdout))).toEqual([]);
  expect(secretsIn(logs.join('\n'), SECRETS)).toEqual([]);
});

test('destroy, whose destroy-time steps get the token, prints no secret either', () => {
  const r = run(['destroy', '-auto-approve', '-parallelism=10']);
  expect(r.stdout).toMatch(/Destroy complete! Resources: \d+ destroyed/);
  expect(secretsIn(logs.join('\n'), SECRETS)).toEqual([]);
});
