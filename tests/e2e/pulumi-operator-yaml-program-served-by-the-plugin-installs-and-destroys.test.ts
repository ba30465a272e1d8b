// harness: kube-audit, git-ssh, pulumi, pulumi-languages, flux-operator
// examples/pulumi-operator-yaml: the operator flavor from a YAML program, its resources served
// by the provider plugin (flux-bootstrap:index:*), against the real Flux Operator and
// controllers: up ends with the FluxInstance Ready at the pushed commit, the preview after it
// costs no git session and no API request, destroy removes Flux, the operator and the manifest.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import { measure } from '../bench/observe';
import { createBareRepo, enableAccessLog, generateKeyPair, grantKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { keyCommand } from '../harness/git-ssh-key-command';
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';
import type { PulumiInfo } from '../harness/pulumi';
import { harnessInfo } from '../harness/state';
import { projectRoot } from '../harness/flux-reference';
import { operatorModuleDir } from '../harness/flux-operator-data';
import { gitRepositoryPath } from '../harness/flux-status';
import { absolutePaths, programEnv, stackOf } from './plugin/program';

const services = {
  kube: harnessInfo<KubeInfo>('kube'),
  gitSsh: harnessInfo<GitSshInfo>('git-ssh'),
  pulumi: harnessInfo<PulumiInfo>('pulumi'),
};
const rest = new KubeRest(services.kube);
const REPO = `operator-yaml/r${process.pid}`;
let tmp: string;
let stack: Stack;
const log = (s: string) => fs.appendFileSync(path.join(tmp, 'pulumi.log'), s);

beforeAll(async () => {
  enableAccessLog(services.gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-yaml-'));
  const dir = path.join(tmp, 'program');
  fs.mkdirSync(dir, { recursive: true });
  const from = path.join(projectRoot(), 'examples', 'pulumi-operator-yaml', 'Pulumi.yaml');
  fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), absolutePaths(fs.readFileSync(from, 'utf8')));
  createBareRepo(services.gitSsh, REPO);
  const admin = generateKeyPair(tmp, 'push-key', 'ed25519');
  grantKey(services.gitSsh, admin.publicKey, REPO, 'rw');
  stack = await stackOf(services.pulumi, dir, 'operator-yaml', programEnv(services.pulumi, 'yaml'));
  await stack.setAllConfig({
    repositoryUrl: { value: urlFor(services.gitSsh, REPO) },
    pushPrivateKey: { value: admin.privateKey, secret: true },
    knownHosts: { value: services.gitSsh.knownHosts },
    kubeconfig: { value: fs.readFileSync(services.kube.kubeconfig, 'utf8'), secret: true },
    version: { value: '2.9.x' },
    operatorSource: { value: operatorModuleDir() },
  });
  // lists and booleans as structured stack config (`--path`): YAML's typed config takes no text
  await stack.setConfig('networkPolicy', { value: 'false' }, true);
  const lists: [string, string[]][] = [
    ['addKeyCommand', keyCommand('add', services.gitSsh.stateDir, REPO)],
    ['removeKeyCommand', keyCommand('remove', services.gitSsh.stateDir, REPO)],
    ['components', ['source-controller', 'kustomize-controller']],
  ];
  for (const [key, list] of lists) for (const [i, v] of list.entries()) await stack.setConfig(`${key}[${i}]`, { value: v }, true);
}, 300_000);

afterAll(async () => {
  await stack?.destroy({ onOutput: log }).catch(() => undefined);
  await stack?.workspace.removeStack('operator-yaml').catch(() => undefined);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('up from a YAML program ends with the FluxInstance Ready at the pushed commit, served by the plugin', async () => {
  const { cost, value } = await measure(services, () => stack.up({ onOutput: log, color: 'never' }));
  process.stderr.write(`YAML first install: ${Math.round(cost.ms)} ms\n`);
  const commit = String(value.outputs.commit.value);
  expect(value.outputs.version.value).toBe('v2.9.5');
  const state = await stack.exportStack();
  const types = ((state.deployment.resources ?? []) as { type: string; custom?: boolean }[]).filter((r) => r.custom).map((r) => r.type);
  expect(types.filter((t) => t.startsWith('pulumi-nodejs'))).toEqual([]);
  expect(types.filter((t) => t.startsWith('flux-bootstrap:index:')).sort()).toEqual(
    ['DeployKey', 'FluxInstance', 'InstanceManifests', 'OperatorInstall', 'Repository'].map((n) => `flux-bootstrap:index:${n}`),
  );
  const fi = await rest.get('/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxinstances/flux');
  expect(fi.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
  expect(fi.status.lastAppliedRevision).toMatch(/^v2\.9\.5@sha256:/);
  expect((await rest.get(gitRepositoryPath('flux-system'))).status.artifact.revision).toBe(`refs/heads/main@sha1:${commit}`);
  // the deploy key is the sync's pull Secret: stored once, as a secret input (the export shows
  // secrets decrypted, under Pulumi's secret signature), and never in the outputs
  expect(fi.spec.sync.pullSecret).toBe('flux-system');
  const stored = (state.deployment.resources ?? []).find((r: { type: string }) => r.type === 'flux-bootstrap:index:FluxInstance') as {
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
  };
  expect(Object.keys(stored.inputs.credentials as object)).toContain('4dabf18193072939515e22adb298388d');
  expect(JSON.stringify(stored.outputs)).not.toContain('PRIVATE KEY');
  expect(stored.outputs.credentials).toBeUndefined();
}, 600_000);

test('a no-change preview costs no git session and no API request', async () => {
  const { cost, value } = await measure(services, () => stack.preview({ onOutput: log, color: 'never' }));
  expect(Object.keys(value.changeSummary)).toEqual(['same']);
  expect({ gitSessions: cost.gitSessions, apiRequests: cost.apiRequests }).toEqual({ gitSessions: 0, apiRequests: 0 });
}, 300_000);

test('destroy removes Flux, the operator and the manifest', async () => {
  await stack.destroy({ onOutput: log, color: 'never' });
  const gone = async (p: string) => (await rest.request('GET', p)).status === 404;
  expect(await gone('/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxinstances/flux')).toBe(true);
  expect(await gone('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/fluxinstances.fluxcd.controlplane.io')).toBe(true);
}, 600_000);
