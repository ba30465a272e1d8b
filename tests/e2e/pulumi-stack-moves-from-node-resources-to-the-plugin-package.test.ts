// harness: kube, git-ssh, pulumi, pulumi-languages
// A stack made by the Node program (examples/pulumi-git-ssh: the dynamic resources) moves to the
// provider package as docs/pulumi.md says, without uninstalling Flux or deleting files: the
// dynamic resources are removed from the state only (`pulumi state delete`), then a YAML program
// of the same project and stack, written against the package, imports the repository, the
// manifests and the install, and gives the deploy key Flux already pulls with as `privateKey`.
// That `up` makes no commit and no cluster write, and the preview after it is clean and free.
// No Flux controller runs here, so nothing is waited for.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import { connect, type Connection } from '../../provider/cluster';
import { deployKeyTitle } from '../../provider/hosts/titles';
import { distributionDir } from '../harness/flux-reference';
import {
  createBareRepo,
  enableAccessLog,
  generateKeyPair,
  grantKey,
  repoDir,
  urlFor,
  type GitSshInfo,
  type KeyPair,
} from '../harness/git-ssh';
import { keyCommand } from '../harness/git-ssh-key-command';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { copyExample, programStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';
import { programEnv, stackOf, stateSizes, yamlProgramHead } from './plugin/program';
import { writeCost } from './plugin/write-cost';

const suffix = `${Date.now().toString(36)}${process.pid}`;
const REPO = `plugin/move-${suffix}`;
const NS = `flux-move-${suffix}`.slice(0, 40);
const PROJECT = 'flux-bootstrap-git-ssh'; // examples/pulumi-git-ssh's project: the same stack
const WAIT = '{"reconciliation":false,"deployments":false}';

let gitSsh: GitSshInfo;
let kube: KubeInfo;
let pulumi: PulumiInfo;
let conn: Connection;
let tmp: string;
let push: KeyPair;
let url: string;
let nodeStack: Stack;
let nodeEnv: Record<string, string>;
let nodeDir: string;
let packageStack: Stack;

const git = (args: string[]) => execFileSync('git', ['--git-dir', repoDir(gitSsh, REPO), ...args], { encoding: 'utf8' }).trim();
const head = () => git(['rev-parse', 'refs/heads/main']);

/** The package program: the same cluster, as the provider package's resources, imported. */
function packageProgram(commit: string): string {
  const dir = `clusters/e2e/${NS}`;
  return `${yamlProgramHead(PROJECT, [
    'deployPrivateKey: { type: string, secret: true }',
    'knownHosts: { type: string }',
    'addKeyCommand: { type: array, items: { type: string } }',
    'removeKeyCommand: { type: array, items: { type: string } }',
  ])}resources:
  repository:
    type: flux-bootstrap:index:Repository
    properties: { host: git, url: "${url}" }
    options: { import: "git:${url}" }
  deployKey:
    type: flux-bootstrap:index:DeployKey
    properties:
      host: git
      url: "${url}"
      title: "${deployKeyTitle({ namespace: NS, branch: 'main', secretName: 'flux-system', path: 'clusters/e2e' })}"
      syncUrl: "${url}"
      privateKey: \${deployPrivateKey}
      knownHosts: \${knownHosts}
      addKeyCommand: \${addKeyCommand}
      removeKeyCommand: \${removeKeyCommand}
  manifests:
    type: flux-bootstrap:index:SyncManifests
    properties: { url: "${url}", path: clusters/e2e, namespace: ${NS}, version: v2.8.5 }
    options: { import: "${url}#main:${dir}?version=v2.8.5" }
  install:
    type: flux-bootstrap:index:ControllerInstall
    properties:
      url: "${url}"
      path: clusters/e2e
      namespace: ${NS}
      version: v2.8.5
      credentials: { privateKey: "\${deployKey.privateKey}", publicKey: "\${deployKey.publicKey}", knownHosts: "\${deployKey.knownHosts}" }
      commit: \${manifests.commit}
      wait: { reconciliation: false, deployments: false }
    options:
      import: '${NS}?version=v2.8.5&url=${encodeURIComponent(url)}&path=clusters/e2e&commit=${commit}&wait=${WAIT}'
`;
}

beforeAll(async () => {
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  kube = harnessInfo<KubeInfo>('kube');
  pulumi = harnessInfo<PulumiInfo>('pulumi');
  enableAccessLog(gitSsh);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-move-e2e-'));
  conn = await connect({ kubeconfigPath: kube.kubeconfig });
  createBareRepo(gitSsh, REPO);
  push = generateKeyPair(tmp, 'push');
  grantKey(gitSsh, push.publicKey, REPO, 'rw');
  url = urlFor(gitSsh, REPO);
  nodeDir = copyExample('pulumi-git-ssh', path.join(tmp, 'node'));
  const node = await programStack(pulumi, nodeDir, 'move', { PULUMI_NODEJS_TRANSPILE_ONLY: 'true' });
  nodeStack = node.stack;
  nodeEnv = node.env;
  await nodeStack.setAllConfig({
    repositoryUrl: { value: url },
    pushPrivateKey: { value: push.privateKey, secret: true },
    knownHosts: { value: gitSsh.knownHosts },
    kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
    path: { value: 'clusters/e2e' },
    namespace: { value: NS },
    version: { value: 'v2.8.5' },
    distribution: { value: distributionDir('v2.8.5') },
    waitReconciliation: { value: 'false' },
    waitDeployments: { value: 'false' },
    addKeyCommand: { value: JSON.stringify(keyCommand('add', gitSsh.stateDir, REPO)) },
    removeKeyCommand: { value: JSON.stringify(keyCommand('remove', gitSsh.stateDir, REPO)) },
  });
}, 600_000);

afterAll(async () => {
  try {
    await packageStack?.destroy();
  } catch {
    /* a failed test: leave nothing behind if possible */
  }
  conn?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the Node program bootstraps the cluster with the dynamic resources', async () => {
  const r = await nodeStack.up();
  expect(r.summary.result).toBe('succeeded');
  const types = ((await nodeStack.exportStack()).deployment as { resources: Array<{ type: string }> }).resources.map((x) => x.type);
  expect(types).toContain('pulumi-nodejs:dynamic/flux-bootstrap:SyncManifests');
  expect(Number(git(['rev-list', '--count', 'refs/heads/main']))).toBe(1);
}, 900_000);

test('after a state-only delete of the dynamic resources, the package program imports them: no commit, no cluster write; the preview after it is clean', async () => {
  const before = head();
  // the key Flux pulls with, as a user reads it from Flux's Secret (or the old stack's outputs)
  const secret = await conn.getOrUndefined<{ data: Record<string, string> }>(`/api/v1/namespaces/${NS}/secrets/flux-system`);
  const deployPrivateKey = Buffer.from(secret!.data.identity, 'base64').toString();

  const nodeSizes = byKind(await stateSizes(nodeStack));
  // 1. remove the dynamic resources from the state only, dependents first, and their provider
  const resources = ((await nodeStack.exportStack()).deployment as { resources: Array<{ urn: string; type: string }> }).resources;
  const order = ['ControllerInstall', 'ControllerPreinstall', 'DeployKey', 'SyncManifests', 'Repository']
    .map((k) => `pulumi-nodejs:dynamic/flux-bootstrap:${k}`)
    .concat(['flux-bootstrap:index:Bootstrap', 'pulumi:providers:pulumi-nodejs']);
  for (const type of order) {
    for (const r of resources.filter((x) => x.type === type)) {
      execFileSync(path.join(pulumi.binDir, 'pulumi'), ['state', 'delete', r.urn, '--yes', '--stack', 'move'], {
        cwd: nodeDir,
        env: { ...process.env, ...nodeEnv },
        stdio: 'pipe',
      });
    }
  }
  expect(head()).toBe(before);

  // 2. the package program, same project and stack, imports what exists
  const dir = path.join(tmp, 'package');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), packageProgram(before));
  // the stack's secrets passphrase salt, as a checkout of the project would have it
  const salt = fs
    .readFileSync(path.join(nodeDir, 'Pulumi.move.yaml'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('encryptionsalt:'));
  if (salt) fs.writeFileSync(path.join(dir, 'Pulumi.move.yaml'), `${salt}\n`);
  packageStack = await stackOf(pulumi, dir, 'move', programEnv(pulumi, 'yaml'));
  await packageStack.setAllConfig({
    deployPrivateKey: { value: deployPrivateKey, secret: true },
    knownHosts: { value: gitSsh.knownHosts },
    'flux-bootstrap:distribution': { value: distributionDir('v2.8.5') },
    'flux-bootstrap:gitAuth': { value: JSON.stringify({ privateKey: push.privateKey, knownHosts: gitSsh.knownHosts }), secret: true },
    'flux-bootstrap:cluster': { value: JSON.stringify({ kubeconfig: fs.readFileSync(kube.kubeconfig, 'utf8') }), secret: true },
  });
  for (const [key, list] of [
    ['addKeyCommand', keyCommand('add', gitSsh.stateDir, REPO)],
    ['removeKeyCommand', keyCommand('remove', gitSsh.stateDir, REPO)],
  ] as const) {
    for (const [i, v] of list.entries()) await packageStack.setConfig(`${key}[${i}]`, { value: v }, true);
  }
  const servers = { gitSsh, kube, conn };
  const moved = await writeCost(servers, REPO, NS, () => packageStack.up());
  // the deploy key is created (the same key, registered again); the rest imported, nothing else
  const changes = moved.value.summary.resourceChanges ?? {};
  expect(changes).toMatchObject({ create: 1, import: 3 });
  expect(Object.keys(changes).filter((k) => !['create', 'import', 'same'].includes(k))).toEqual([]);
  expect(head()).toBe(before);
  expect(moved.apiWrites).toBe(0);
  expect(moved.versionsAfter).toBe(moved.versionsBefore);

  const clean = await writeCost(servers, REPO, NS, () => packageStack.preview());
  expect(Object.keys(clean.value.changeSummary)).toEqual(['same']);
  expect(clean.gitSessions).toBe(0);
  expect(clean.apiWrites).toBe(0);
  expect(clean.versionsAfter).toBe(clean.versionsBefore);
  const types = ((await packageStack.exportStack()).deployment as { resources: Array<{ type: string }> }).resources.map((x) => x.type);
  expect(types.filter((t) => t.includes('dynamic'))).toEqual([]);

  // each resource's stored state is smaller in the package than as a dynamic resource (which
  // stores its provider text, about 0.9 KB, in its inputs and again in its outputs)
  const packageSizes = byKind(await stateSizes(packageStack));
  console.log(`stored state per resource (characters), dynamic: ${JSON.stringify(nodeSizes)}; package: ${JSON.stringify(packageSizes)}`);
  // (the preinstall of a first install is not imported: it has nothing left to do)
  for (const kind of ['Repository', 'DeployKey', 'SyncManifests', 'ControllerInstall']) {
    expect(packageSizes[kind]).toBeLessThan(nodeSizes[kind]);
  }
}, 1_200_000);

/** State sizes keyed by resource kind: `pulumi-nodejs:dynamic/flux-bootstrap:SyncManifests` and
 *  `flux-bootstrap:index:SyncManifests` are both `SyncManifests`. */
function byKind(sizes: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(sizes).map(([type, n]) => [type.split(/[:/]/).pop()!, n]));
}
