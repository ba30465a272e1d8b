// harness: kube-audit, git-ssh, pulumi, pulumi-go
// examples/pulumi-go through the flux-bootstrap provider plugin, on the real CLI and the v3.259
// Go language host (which compiles the program before every operation): up from nothing, a
// no-change preview that costs no git session and no cluster write (counted on the servers), a
// colleague's push to the branch that leaves preview and up free, and a destroy that takes our
// files and keeps the colleague's. No Flux controller runs here, so nothing is waited for. A
// bare clone has no Go host: the file skips and says why.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import { connect, type Connection, type KubeObject } from '../../provider/cluster';
import { distributionDir, projectRoot } from '../harness/flux-reference';
import { createBareRepo, enableAccessLog, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import type { PulumiGoInfo } from '../harness/pulumi-go';
import { harnessInfo } from '../harness/state';
import { describeWithCurrentHosts } from './plugin/current-hosts';
import { goProgramEnvOf, installGoExample } from './plugin/go-program';
import { stackOf, stateSizes } from './plugin/program';
import { writeCost } from './plugin/write-cost';

const KEY_COMMAND = path.join(projectRoot(), 'dist', 'tests', 'harness', 'git-ssh-key-command.js');
const suffix = `${Date.now().toString(36)}${process.pid}`;
const REPO = `plugin/go-${suffix}`;
const NS = `flux-go-${suffix}`.slice(0, 40);
const DIR = `clusters/e2e/${NS}`;
const THEIRS = 'clusters/e2e/apps/team.yaml';

const pulumi = harnessInfo<PulumiInfo>('pulumi');
let gitSsh: GitSshInfo;
let kube: KubeInfo;
let conn: Connection;
let tmp: string;
let stack: Stack;

const git = (args: string[]) => execFileSync('git', ['--git-dir', repoDir(gitSsh, REPO), ...args], { encoding: 'utf8' }).trim();
const head = () => git(['rev-parse', 'refs/heads/main']);
const commits = () => Number(git(['rev-list', '--count', 'refs/heads/main']));
const files = () => git(['ls-tree', '-r', '--name-only', 'refs/heads/main']).split('\n').filter(Boolean);
const cost = <T>(fn: () => Promise<T>) => writeCost({ gitSsh, kube, conn }, REPO, NS, fn);

/** Runs fn and logs its wall time: each operation starts with the Go host compiling the program. */
async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  const value = await fn();
  console.log(`go: ${what} took ${((Date.now() - t) / 1000).toFixed(1)} s (the Go host's build of the program included)`);
  return value;
}

/** A colleague's commit beside ours, pushed straight into the bare repository (no sshd session). */
function colleaguePushes(): string {
  const work = path.join(tmp, 'colleague');
  execFileSync('git', ['clone', '-q', repoDir(gitSsh, REPO), work]);
  fs.mkdirSync(path.dirname(path.join(work, THEIRS)), { recursive: true });
  fs.writeFileSync(path.join(work, THEIRS), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team\n');
  const id = ['-c', 'user.name=colleague', '-c', 'user.email=colleague@example.com'];
  execFileSync('git', [...id, 'add', '.'], { cwd: work });
  execFileSync('git', [...id, 'commit', '-q', '-m', 'team app'], { cwd: work });
  execFileSync('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: work, encoding: 'utf8' }).trim();
}

describeWithCurrentHosts(pulumi, 'the Go example')('the Go example through the provider plugin', () => {
  beforeAll(async () => {
    gitSsh = harnessInfo<GitSshInfo>('git-ssh');
    kube = harnessInfo<KubeInfo>('kube');
    const go = harnessInfo<PulumiGoInfo>('pulumi-go');
    console.log(`go: language host ${go.host}, ${go.goVersion}, GOFLAGS=${go.goEnv.GOFLAGS}`);
    enableAccessLog(gitSsh);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-go-e2e-'));
    conn = await connect({ kubeconfigPath: kube.kubeconfig });
    createBareRepo(gitSsh, REPO);
    const push = generateKeyPair(tmp, 'push');
    grantKey(gitSsh, push.publicKey, REPO, 'rw');
    const dir = installGoExample(path.join(tmp, 'program'), tmp);
    stack = await stackOf(pulumi, dir, 'e2e', goProgramEnvOf(pulumi));
    await stack.setAllConfig({
      repositoryUrl: { value: urlFor(gitSsh, REPO) },
      pushPrivateKey: { value: push.privateKey, secret: true },
      knownHosts: { value: gitSsh.knownHosts },
      kubeconfig: { value: fs.readFileSync(kube.kubeconfig, 'utf8'), secret: true },
      path: { value: 'clusters/e2e' },
      namespace: { value: NS },
      version: { value: 'v2.9.3' },
      'flux-bootstrap:distribution': { value: distributionDir('v2.9.3') },
    });
    for (const key of ['waitReconciliation', 'waitDeployments']) await stack.setConfig(key, { value: 'false' }, true);
    const argv = (verb: string) => [process.execPath, KEY_COMMAND, verb, gitSsh.stateDir, REPO];
    for (const [key, list] of [
      ['addKeyCommand', argv('add')],
      ['removeKeyCommand', argv('remove')],
    ] as const) {
      for (const [i, v] of list.entries()) await stack.setConfig(`${key}[${i}]`, { value: v }, true);
    }
  }, 1_800_000);

  afterAll(async () => {
    try {
      await stack?.destroy();
    } catch {
      /* the destroy test failed: leave nothing behind if possible */
    }
    conn?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('up from nothing: one commit with the three files, Flux applied, only the package resources in the stack', async () => {
    let output = '';
    const r = await timed('first up', () => stack.up({ onOutput: (s) => (output += s) }));
    expect(r.summary.result).toBe('succeeded');
    expect(commits()).toBe(1);
    expect(r.outputs.commit.value).toBe(head());
    expect(files()).toEqual([`${DIR}/gotk-components.yaml`, `${DIR}/gotk-sync.yaml`, `${DIR}/kustomization.yaml`]);
    const deployment = await conn.getOrUndefined<KubeObject>(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller`);
    expect(deployment?.metadata.labels?.['app.kubernetes.io/version']).toBe('v2.9.3');
    expect(output).not.toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(Object.keys(await stateSizes(stack)).sort()).toEqual(
      ['Bootstrap', 'ControllerInstall', 'ControllerPreinstall', 'DeployKey', 'Repository', 'SyncManifests'].map(
        (k) => `flux-bootstrap:index:${k}`,
      ),
    );
  }, 1_200_000); // the first run may compile sdk/v3: minutes with a cold Go build cache

  test('a no-change preview: nothing to do, no git session, no cluster write', async () => {
    const before = head();
    const c = await cost(() => timed('no-change preview', () => stack.preview()));
    expect(Object.keys(c.value.changeSummary)).toEqual(['same']);
    expect(c.gitSessions).toBe(0);
    expect(c.apiWrites).toBe(0);
    expect(c.versionsAfter).toBe(c.versionsBefore);
    expect(head()).toBe(before);
  }, 600_000);

  test("after a colleague's push (day two), a preview and an up cost no git session and no cluster write", async () => {
    const theirs = colleaguePushes();
    const preview = await cost(() => stack.preview());
    expect(Object.keys(preview.value.changeSummary)).toEqual(['same']);
    expect([preview.gitSessions, preview.apiWrites]).toEqual([0, 0]);
    const up = await cost(() => timed('no-change up', () => stack.up()));
    expect(Object.keys(up.value.summary.resourceChanges ?? {})).toEqual(['same']);
    expect([up.gitSessions, up.apiWrites]).toEqual([0, 0]);
    expect(up.versionsAfter).toBe(up.versionsBefore);
    expect(head()).toBe(theirs);
  }, 600_000);

  test("destroy removes our files in one commit, keeps the colleague's, and takes Flux from the cluster", async () => {
    const commitsBefore = commits();
    const r = await timed('destroy', () => stack.destroy());
    expect(r.summary.result).toBe('succeeded');
    expect(commits()).toBe(commitsBefore + 1);
    expect(files()).toEqual([THEIRS]);
    expect(await conn.getOrUndefined(`/apis/apps/v1/namespaces/${NS}/deployments/source-controller`)).toBeUndefined();
  }, 900_000);
});
