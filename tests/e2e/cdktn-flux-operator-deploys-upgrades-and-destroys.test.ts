// harness: kube, git-ssh, opentofu, cdktf-cli, flux-operator
// FluxOperator (flux-bootstrap/cdktf) on the CDK Terrain library, driven by `cdktn` (cdktn-cli)
// with the harness's OpenTofu and its offline provider mirror, against the real Flux Operator
// and controllers: synth renders the operator, resolves the range and writes the FluxInstance
// manifest the pipeline commits; deploy applies the operator, the sync Secret (a sensitive
// variable) and the FluxInstance, waited for until Ready; a second deploy changes nothing; a
// range bump shows the new release in the plan's outputs and upgrades Flux; destroy lets the
// operator uninstall Flux before the operator goes.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CdktfCliInfo } from '../harness/cdktf-cli';
import { projectRoot } from '../harness/flux-reference';
import { createBareRepo, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import type { OpenTofuInfo } from '../harness/opentofu';
import { harnessInfo } from '../harness/state';
import { operatorModuleDir } from '../harness/flux-operator-data';
import { gitRepositoryPath } from '../harness/flux-status';

const kube = harnessInfo<KubeInfo>('kube');
const gitSsh = harnessInfo<GitSshInfo>('git-ssh');
const tofu = harnessInfo<OpenTofuInfo>('opentofu');
const clis = harnessInfo<CdktfCliInfo>('cdktf-cli');
const rest = new KubeRest(kube);
const ROOT = projectRoot();
const PIN = path.join(ROOT, 'dist', 'tests', 'harness', 'pin-to-mirror-command.js');
const REPO = `cdktn-operator/r${process.pid}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-operator-'));
const dir = path.join(tmp, 'project');
const OFFLINE = ['--skip-provider-lock'];
const INSTANCE = '/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxinstances/flux';

const MAIN = `import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack, TerraformVariable } from 'cdktn';
import { FluxOperator } from 'flux-bootstrap/cdktf';

const env = process.env;
const app = new App();
const stack = new TerraformStack(app, 'operator');
const deployKey = new TerraformVariable(stack, 'deploy_key', { type: 'string', sensitive: true });
const flux = new FluxOperator(stack, 'flux', {
  operator: { version: 'v0.59.0', source: env.OPERATOR_SOURCE },
  path: 'clusters/cdk',
  instance: {
    distribution: { version: env.FLUX_VERSION ?? '2.x' },
    components: ['source-controller', 'kustomize-controller'],
    cluster: { networkPolicy: false },
    sync: { kind: 'GitRepository', url: env.GIT_URL, ref: 'refs/heads/main', path: './clusters/cdk', pullSecret: 'flux-system' },
  },
  credentials: { privateKey: deployKey.stringValue, publicKey: fs.readFileSync(env.DEPLOY_KEY_PUB, 'utf8').trim(), knownHosts: env.GIT_KNOWN_HOSTS },
  cluster: { configPath: env.KUBECONFIG },
});
app.synth();
for (const [file, content] of Object.entries(flux.files)) {
  const out = path.join(app.outdir, 'repository', file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, content);
}
`;

let env: NodeJS.ProcessEnv;

function run(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = Date.now();
    const child = spawn(clis.cdktn, args, { cwd: dir, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      out = out.replace(/\x1b\[[0-9;]*m/g, '');
      process.stderr.write(`[cdktn] ${args.join(' ')}: exit ${code} in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
      if (code === 0) resolve(out);
      else reject(new Error(`cdktn ${args.join(' ')} exited ${code}:\n${out.slice(-6000)}`));
    });
  });
}

/** What the pipeline does after synth: commit the files it wrote, pushed into the bare repository. */
function commitSynthesized(message: string): string {
  const work = path.join(tmp, `clone-${Date.now()}`);
  execFileSync('git', ['clone', '-q', repoDir(gitSsh, REPO), work]);
  fs.cpSync(path.join(dir, 'cdktf.out', 'repository'), work, { recursive: true });
  const id = ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com'];
  execFileSync('git', [...id, 'add', '.'], { cwd: work });
  execFileSync('git', [...id, 'commit', '-q', '--allow-empty', '-m', message], { cwd: work });
  execFileSync('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: work, encoding: 'utf8' }).trim();
}

beforeAll(() => {
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.ts'), MAIN);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'operator', private: true, type: 'module' }));
  fs.writeFileSync(
    path.join(dir, 'cdktf.json'),
    JSON.stringify({ language: 'typescript', app: `node main.ts && node ${PIN} cdktf.out/stacks/operator/cdk.tf.json` }),
  );
  for (const e of fs.readdirSync(path.join(ROOT, 'node_modules')))
    if (!e.startsWith('.')) fs.symlinkSync(path.join(ROOT, 'node_modules', e), path.join(dir, 'node_modules', e));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'flux-bootstrap'));
  createBareRepo(gitSsh, REPO);
  const key = generateKeyPair(tmp, 'deploy-key', 'ed25519');
  grantKey(gitSsh, key.publicKey, REPO, 'ro');
  env = {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
    TERRAFORM_BINARY_NAME: tofu.tofu,
    TF_CLI_CONFIG_FILE: tofu.cliConfig,
    CHECKPOINT_DISABLE: '1',
    CI: '1',
    KUBECONFIG: kube.kubeconfig,
    GIT_URL: urlFor(gitSsh, REPO),
    GIT_KNOWN_HOSTS: gitSsh.knownHosts,
    DEPLOY_KEY_PUB: `${key.privateKeyFile}.pub`,
    TF_VAR_deploy_key: key.privateKey,
    OPERATOR_SOURCE: operatorModuleDir(),
    FLUX_VERSION: '2.9.3',
  };
});

afterAll(async () => {
  await run(['destroy', '--auto-approve', ...OFFLINE]).catch(() => undefined);
  if (process.env.FLUX_BOOTSTRAP_KEEP_HARNESS !== '1') fs.rmSync(tmp, { recursive: true, force: true });
});

test('synth renders the operator, resolves the range and writes the manifest to commit; the key stays a variable', async () => {
  await run(['synth']);
  const stack = fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'operator', 'cdk.tf.json'), 'utf8');
  const json = JSON.parse(stack) as { resource: Record<string, Record<string, unknown>>; output: Record<string, { value: string }> };
  // the operator's 13 objects, the FluxInstance, and the sync Secret (server-side applied too)
  expect(Object.keys(json.resource.kubectl_manifest)).toHaveLength(15);
  expect(Object.keys(json.resource.kubectl_manifest).filter((id) => id.includes('sync-secret'))).toHaveLength(1);
  expect(json.resource.kubernetes_secret_v1).toBeUndefined();
  expect(Object.values(json.output).map((o) => o.value)).toEqual(['v2.9.3']);
  expect(stack).not.toContain('PRIVATE KEY');
  const manifest = fs.readFileSync(
    path.join(dir, 'cdktf.out', 'repository', 'clusters', 'cdk', 'flux-system', 'flux-instance.yaml'),
    'utf8',
  );
  expect(manifest).toContain('kind: FluxInstance');
}, 600_000);

test('deploy applies the operator and the FluxInstance, Ready at the committed manifest; a second deploy changes nothing', async () => {
  const commit = commitSynthesized('Add the Flux Operator instance manifest');
  const out = await run(['deploy', '--auto-approve', ...OFFLINE]);
  expect(out).toMatch(/Apply complete! Resources: 15 added, 0 changed, 0 destroyed/);
  const fi = await rest.get(INSTANCE);
  expect(fi.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
  expect(fi.status.lastAppliedRevision).toMatch(/^v2\.9\.3@/);
  const source = await rest.get(gitRepositoryPath('flux-system'));
  expect(source.status.artifact.revision).toBe(`refs/heads/main@sha1:${commit}`);
  const again = await run(['deploy', '--auto-approve', ...OFFLINE]);
  expect(again).toMatch(/No changes/);
}, 900_000);

test('a range bump shows the new release in the plan and upgrades Flux', async () => {
  const bumped = { FLUX_VERSION: '2.9.x' };
  const diff = await run(['diff', ...OFFLINE], bumped);
  expect(diff).toMatch(/"v2\.9\.3" -> "v2\.9\.5"/);
  commitSynthesized('Flux 2.9.x');
  const out = await run(['deploy', '--auto-approve', ...OFFLINE], bumped);
  expect(out).toMatch(/Apply complete! Resources: 0 added, 1 changed, 0 destroyed/);
  const fi = await rest.get(INSTANCE);
  expect(fi.status.lastAppliedRevision).toMatch(/^v2\.9\.5@/);
  env = { ...env, ...bumped };
}, 900_000);

test('destroy lets the operator uninstall Flux before the operator goes', async () => {
  const out = await run(['destroy', '--auto-approve', ...OFFLINE]);
  expect(out).toMatch(/Destroy complete! Resources: 15 destroyed/);
  expect((await rest.request('GET', INSTANCE)).status).toBe(404);
  expect((await rest.request('GET', '/apis/apps/v1/namespaces/flux-system/deployments/source-controller')).status).toBe(404);
  expect((await rest.request('GET', '/apis/apps/v1/namespaces/flux-system/deployments/flux-operator')).status).toBe(404);
}, 900_000);
