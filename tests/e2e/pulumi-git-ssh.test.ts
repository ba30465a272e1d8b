// harness: kube, git-ssh, pulumi
// The examples/pulumi-git-ssh program, installed like a user's project, driven through the real
// Pulumi CLI (Automation API) against the harness's sshd and kube-apiserver: up from nothing,
// no-change runs that commit nothing, a version bump, key rotation, drift repaired after
// refresh, destroy, and no secret in the state or the CLI output.
//
// There is no kubelet here and no Flux controller runs, so the program waits for nothing
// (waitReconciliation=false, waitDeployments=false); the full flow with real controllers is
// another test's.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalWorkspace, PulumiCommand, type Stack } from '@pulumi/pulumi/automation';
import { connect, type Connection, type KubeObject } from '../../provider/cluster';
import {
  createBareRepo,
  generateKeyPair,
  grantKey,
  keyId,
  listGrants,
  repoDir,
  urlFor,
  type GitSshInfo,
  type KeyPair,
} from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { distributionDir } from '../harness/flux-reference';
import { pulumiEnv, type PulumiInfo } from '../harness/pulumi';
import { harnessInfo } from '../harness/state';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'pulumi-git-ssh');
const KEY_COMMAND = path.join(ROOT, 'dist', 'tests', 'harness', 'git-ssh-key-command.js');

const suffix = `${Date.now().toString(36)}${process.pid}`;
const REPO = `pulumi/e2e-${suffix}`;
const NS = `flux-${suffix}`.slice(0, 40);
const DIR = `clusters/e2e/${NS}`;

let gitSsh: GitSshInfo;
let pulumiInfo: PulumiInfo;
let kube: KubeInfo;
let stack: Stack;
let conn: Connection;
let push: KeyPair;
let tmp: string;
let output = '';
const timings: Record<string, number> = {};

/** An installed user program: the example's files and node_modules links to this checkout. */
function installProgram(dir: string): void {
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  for (const f of ['Pulumi.yaml', 'package.json', 'tsconfig.json', 'index.ts']) fs.copyFileSync(path.join(EXAMPLE, f), path.join(dir, f));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'flux-bootstrap'));
  fs.symlinkSync(path.join(ROOT, 'node_modules', '@pulumi'), path.join(dir, 'node_modules', '@pulumi'));
  fs.symlinkSync(path.join(ROOT, 'node_modules', '@types', 'node'), path.join(dir, 'node_modules', '@types', 'node'));
}

function git(args: string[]): string {
  return execFileSync('git', ['--git-dir', repoDir(gitSsh, REPO), ...args], { encoding: 'utf8' }).trim();
}
/** Paths where a needle occurs outside a secret envelope's plaintext. */
function leaks(value: unknown, needles: string[], at = ''): string[] {
  if (typeof value === 'string') return needles.some((n) => value.includes(n)) && !at.endsWith('.plaintext') ? [at] : [];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaks(v, needles, `${at}.${k}`));
  return [];
}

const head = () => git(['rev-parse', 'refs/heads/main']);
const commitCount = () => Number(git(['rev-list', '--count', 'refs/heads/main']));
const changedFiles = (from: string, to: string) => git(['diff', '--name-only', from, to]).split('\n').filter(Boolean);

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - t;
    console.log(`timing ${name}: ${timings[name]} ms`);
  }
}

const onOutput = (s: string) => {
  output += s;
};
const up = (name: string) => timed(name, () => stack.up({ onOutput }));
const preview = (name: string) => timed(name, () => stack.preview({ onOutput }));
const refresh = async (name: string) => {
  const from = output.length;
  const r = await timed(name, () => stack.refresh({ onOutput }));
  console.log(
    `${name}:\n${output
      .slice(from)
      .split('\n')
      .filter((l) => / updated |drift/.test(l))
      .join('\n')}`,
  );
  return r;
};

async function get(p: string): Promise<KubeObject | undefined> {
  return conn.getOrUndefined<KubeObject>(p);
}
const gitRepositoryPath = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories/${NS}`;

beforeAll(async () => {
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  kube = harnessInfo<KubeInfo>('kube');
  const pulumi = harnessInfo<PulumiInfo>('pulumi');
  pulumiInfo = pulumi;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-e2e-'));
  createBareRepo(gitSsh, REPO);
  push = generateKeyPair(tmp, 'push');
  grantKey(gitSsh, push.publicKey, REPO, 'rw');
  const program = path.join(tmp, 'program');
  installProgram(program);
  const env = { ...pulumiEnv(pulumi), PULUMI_NODEJS_TRANSPILE_ONLY: 'true' };
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(pulumi.binDir) });
  stack = await LocalWorkspace.createOrSelectStack(
    { stackName: 'e2e', workDir: program },
    { envVars: env, pulumiHome: pulumi.home, pulumiCommand },
  );
  await stack.setAllConfig({
    repositoryUrl: { value: urlFor(gitSsh, REPO) },
    pushPrivateKey: { value: push.privateKey, secret: true },
    knownHosts: { value: gitSsh.knownHosts },
    kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
    path: { value: 'clusters/e2e' },
    namespace: { value: NS },
    version: { value: 'v2.8.5' },
    distribution: { value: distributionDir('v2.8.5') },
    waitReconciliation: { value: 'false' },
    waitDeployments: { value: 'false' },
  });
  await stack.setConfig('addKeyCommand', { value: JSON.stringify([process.execPath, KEY_COMMAND, 'add', gitSsh.stateDir, REPO]) });
  await stack.setConfig('removeKeyCommand', { value: JSON.stringify([process.execPath, KEY_COMMAND, 'remove', gitSsh.stateDir, REPO]) });
  conn = await connect({ kubeconfigPath: kube.kubeconfig });
}, 120_000);

afterAll(async () => {
  console.log(`pulumi e2e timings (ms): ${JSON.stringify(timings)}`);
  try {
    await stack?.destroy();
  } catch {
    /* the destroy test failed; leave nothing behind if possible */
  }
  conn?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('pulumi e2e on a plain git server over SSH', () => {
  test('up from nothing: one commit with the three files, the key registered, the objects applied', async () => {
    const r = await up('up from nothing');
    expect(r.summary.result).toBe('succeeded');
    expect(commitCount()).toBe(1);
    expect(r.outputs.commit.value).toBe(head());
    expect(git(['ls-tree', '-r', '--name-only', 'refs/heads/main']).split('\n')).toEqual([
      `${DIR}/gotk-components.yaml`,
      `${DIR}/gotk-sync.yaml`,
      `${DIR}/kustomization.yaml`,
    ]);
    expect(git(['log', '-1', '--format=%s', 'refs/heads/main'])).toBe('Add Flux v2.8.5 component and sync manifests');
    // the deploy key is read-only, registered through addKeyCommand
    const publicKey = r.outputs.publicKey.value as string;
    expect(
      listGrants(gitSsh)
        .filter((g) => g.repo === REPO && keyId(g.publicKey) === keyId(publicKey))
        .map((g) => g.access),
    ).toEqual(['ro']);
    const repo = await get(gitRepositoryPath);
    expect(repo?.spec).toMatchObject({ url: urlFor(gitSsh, REPO), ref: { branch: 'main' } });
    const secret = await get(`/api/v1/namespaces/${NS}/secrets/flux-system`);
    const data = (secret?.data ?? {}) as Record<string, string>;
    expect(Buffer.from(data['identity.pub'], 'base64').toString()).toBe(publicKey);
    expect(Buffer.from(data.known_hosts, 'base64').toString()).toBe(gitSsh.knownHosts);
  });

  test('a second up and a preview change nothing and commit nothing', async () => {
    const before = head();
    const again = await up('no-change up');
    expect(Object.keys(again.summary.resourceChanges ?? {})).toEqual(['same']);
    const p = await preview('no-change preview');
    expect(Object.keys(p.changeSummary)).toEqual(['same']);
    expect(head()).toBe(before);
  });

  test('a version bump v2.8.5 -> v2.9.3 changes only gotk-components.yaml, in one commit', async () => {
    const before = head();
    const repoBefore = await get(gitRepositoryPath);
    await stack.setAllConfig({ version: { value: 'v2.9.3' }, distribution: { value: distributionDir('v2.9.3') } });
    const p = await preview('version bump preview');
    expect(p.changeSummary).toMatchObject({ update: 2 });
    const r = await up('version bump up');
    expect(r.summary.resourceChanges).toMatchObject({ update: 2 });
    expect(commitCount()).toBe(2);
    expect(changedFiles(before, head())).toEqual([`${DIR}/gotk-components.yaml`]);
    expect(r.outputs.version.value).toBe('v2.9.3');
    const deployment = await get(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller`);
    expect(deployment?.metadata.labels?.['app.kubernetes.io/version']).toBe('v2.9.3');
    // the sync objects did not change, so server-side apply left them alone
    expect((await get(gitRepositoryPath))?.metadata.resourceVersion).toBe(repoBefore?.metadata.resourceVersion);
  });

  test('key rotation registers the new key before the old one goes, and updates the Secret', async () => {
    const before = head();
    const old = (await stack.outputs()).publicKey.value as string;
    await stack.setConfig('keyRotation', { value: '1' });
    const r = await up('key rotation up');
    expect(r.summary.resourceChanges).toMatchObject({ replace: 1, update: 1 });
    const now = r.outputs.publicKey.value as string;
    expect(now).not.toBe(old);
    const grants = listGrants(gitSsh)
      .filter((g) => g.repo === REPO)
      .map((g) => keyId(g.publicKey));
    expect(grants).toContain(keyId(now));
    expect(grants).not.toContain(keyId(old));
    const data = ((await get(`/api/v1/namespaces/${NS}/secrets/flux-system`))?.data ?? {}) as Record<string, string>;
    expect(Buffer.from(data['identity.pub'], 'base64').toString()).toBe(now);
    expect(head()).toBe(before);
  });

  test('refresh finds a file deleted in git, and up puts it back in one commit', async () => {
    const work = path.join(tmp, 'clone');
    execFileSync('git', ['clone', '-q', repoDir(gitSsh, REPO), work]);
    const id = ['-c', 'user.name=someone', '-c', 'user.email=someone@example.com'];
    execFileSync('git', [...id, 'rm', '-q', `${DIR}/gotk-sync.yaml`], { cwd: work });
    execFileSync('git', [...id, 'commit', '-q', '-m', 'oops'], { cwd: work });
    execFileSync('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
    const r = await refresh('refresh with drift');
    expect(r.summary.resourceChanges).toMatchObject({ update: 1 });
    // the install updates too: it waits for the repairing commit, unknown until the push
    const p = await preview('preview after drift');
    expect(p.changeSummary).toMatchObject({ update: 2 });
    const before = head();
    await up('up repairing git');
    expect(commitCount()).toBe(4); // initial, bump, oops, repair
    expect(changedFiles(before, head())).toEqual([`${DIR}/gotk-sync.yaml`]);
    expect(Object.keys((await preview('preview after repair')).changeSummary)).toEqual(['same']);
  });

  test('refresh finds the GitRepository deleted in the cluster, and up re-applies it', async () => {
    await conn.request({ method: 'DELETE', path: gitRepositoryPath });
    const r = await refresh('refresh with cluster drift');
    expect(r.summary.resourceChanges).toMatchObject({ update: 1 });
    const before = head();
    await up('up repairing cluster');
    expect(await get(gitRepositoryPath)).toBeDefined();
    expect(head()).toBe(before);
  });

  test('state and CLI output hold no private key, token or kubeconfig credential in plaintext', async () => {
    const data = ((await get(`/api/v1/namespaces/${NS}/secrets/flux-system`))?.data ?? {}) as Record<string, string>;
    const deployKey = Buffer.from(data.identity, 'base64').toString();
    const body = (pem: string) =>
      pem
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join('');
    const needles = [body(push.privateKey), body(deployKey), kube.token].flatMap((s) => [s.slice(0, 40), s.slice(-40)]);
    // exportStack() runs `pulumi stack export --show-secrets`: secrets appear decrypted, but only
    // inside secret envelopes ({"4dabf18193072939515e22adb298388d": ..., "plaintext": ...})
    expect(leaks(await stack.exportStack(), needles)).toEqual([]);
    // the state as stored: encrypted
    const file = path.join(new URL(pulumiInfo.backendUrl).pathname, '.pulumi', 'stacks', 'flux-bootstrap-git-ssh', 'e2e.json');
    const stored = fs.readFileSync(file, 'utf8');
    expect(stored).toContain('"ciphertext"');
    for (const n of needles) {
      expect(stored).not.toContain(n);
      expect(output).not.toContain(n);
    }
  });

  // That the workloads Flux deployed stay is proven with the real controllers running, where a
  // garbage collection could happen: e2e flux-reconciles-bootstrapped-repository (Pulumi) and
  // cdktf-flux-cluster-reconciles-with-real-controllers (tofu destroy).
  test('destroy removes the files in one commit, the key and the install', async () => {
    const key = (await stack.outputs()).publicKey.value as string;
    const before = commitCount();
    const r = await timed('destroy', () => stack.destroy({ onOutput }));
    expect(r.summary.result).toBe('succeeded');
    expect(commitCount()).toBe(before + 1);
    expect(git(['ls-tree', '-r', '--name-only', 'refs/heads/main'])).toBe('');
    expect(listGrants(gitSsh).filter((g) => keyId(g.publicKey) === keyId(key))).toEqual([]);
    const ns = await get(`/api/v1/namespaces/${NS}`);
    expect(ns === undefined || ns.metadata.deletionTimestamp !== undefined).toBe(true);
  });
});
