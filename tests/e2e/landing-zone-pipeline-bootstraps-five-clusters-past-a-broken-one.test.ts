// harness: kube, git-ssh, pulumi
// examples/landing-zone run as a CI job runs it (`node main.ts`, no terminal, the real Pulumi CLI
// on a file backend) over an inventory of five clusters, each a kube-apiserver of its own: the
// harness's and four more started here. One cluster's kubeconfig names an API server that does
// not listen. The preview prints JSON; `up` bootstraps the four others, says which one failed
// and exits 1; after the kubeconfig is fixed, a rerun changes only that cluster. A cluster taken
// out of the inventory is kept, and destroyed only with --destroy-removed.
//
// No kubelet runs, so no controller runs either: the inventory turns waiting off.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from '../../provider/cluster';
import { keyCommand } from '../harness/git-ssh-key-command';
import { createBareRepo, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { distributionDir, projectRoot } from '../harness/flux-reference';
import { kube as kubeService, type KubeInfo } from '../harness/kube';
import { pulumiEnv, type PulumiInfo } from '../harness/pulumi';
import { harnessInfo } from '../harness/state';

const MAIN = path.join(projectRoot(), 'examples', 'landing-zone', 'main.ts');
const suffix = `${Date.now().toString(36)}${process.pid}`;
const REPO = `landing/fleet-${suffix}`;
const NS = `lz-${suffix}`.slice(0, 40);
const PROJECT = `lz-${suffix}`;
const NAMES = ['eu-1', 'eu-2', 'us-1', 'us-2', 'ap-1'];
const BROKEN = 'ap-1';

let tmp: string;
let gitSsh: GitSshInfo;
let pulumiInfo: PulumiInfo;
let pushKey: string;
/** the API server of each cluster (the broken one gets its own after the first `up`) */
const servers = new Map<string, KubeInfo>();
const extraKubes: string[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
interface Row {
  name: string;
  action: string;
  status: string;
  error?: string;
  summary?: { changes: boolean; files: { path: string; change: string }[]; objects: { create: number; update: number; delete: number } };
}
interface Report {
  ok: number;
  failed: number;
  kept: number;
  clusters: Row[];
}

function landingZone(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [MAIN, ...args, '--inventory', path.join(tmp, 'inventory.yaml'), '--project', PROJECT, '--concurrency', '3'],
      {
        cwd: tmp,
        env: pulumiEnv(pulumiInfo),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function writeInventory(names: string[]): void {
  const clusters = names.map((n) => `  - name: ${n}\n    kubeconfig: {file: kube/${n}.yaml}\n    path: clusters/${n}\n`).join('');
  fs.writeFileSync(
    path.join(tmp, 'inventory.yaml'),
    `# every cluster of the landing zone
defaults:
  version: v2.8.5
  repository:
    host: git
    url: ${urlFor(gitSsh, REPO)}
    push:
      privateKey: {file: push.key}
      knownHosts: {file: known_hosts}
    addKeyCommand: ${JSON.stringify(keyCommand('add', gitSsh.stateDir, REPO))}
    removeKeyCommand: ${JSON.stringify(keyCommand('remove', gitSsh.stateDir, REPO))}
  options:
    namespace: ${NS}
    distribution: ${distributionDir('v2.8.5')}
    deployKey: {knownHosts: {file: known_hosts}}
    wait: {reconciliation: false, deployments: false}
clusters:
${clusters}`,
  );
}

function writeKubeconfig(name: string, info: KubeInfo, server = info.server): void {
  fs.writeFileSync(path.join(tmp, 'kube', `${name}.yaml`), fs.readFileSync(info.kubeconfig, 'utf8').replace(info.server, server));
}

function git(args: string[]): string {
  return execFileSync('git', ['--git-dir', repoDir(gitSsh, REPO), ...args], { encoding: 'utf8' }).trim();
}
const commits = () => git(['log', '--format=%s', 'refs/heads/main']).split('\n').filter(Boolean);

async function startKube(name: string): Promise<KubeInfo> {
  const dir = path.join(tmp, `kube-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  extraKubes.push(dir);
  return kubeService.start(dir, {});
}

async function fluxNamespaceOf(name: string): Promise<string | undefined> {
  const conn = await connect({ kubeconfigPath: path.join(tmp, 'kube', `${name}.yaml`) });
  try {
    const ns = await conn.getOrUndefined<{ status?: { phase?: string } }>(`/api/v1/namespaces/${NS}`);
    return ns?.status?.phase;
  } finally {
    conn.close();
  }
}

const row = (r: Report, name: string) => r.clusters.find((c) => c.name === name) as Row;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-e2e-'));
  fs.mkdirSync(path.join(tmp, 'kube'));
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  pulumiInfo = harnessInfo<PulumiInfo>('pulumi');
  createBareRepo(gitSsh, REPO);
  const push = generateKeyPair(tmp, 'push');
  pushKey = push.privateKey;
  fs.copyFileSync(push.privateKeyFile, path.join(tmp, 'push.key'));
  grantKey(gitSsh, push.publicKey, REPO, 'rw');
  fs.writeFileSync(path.join(tmp, 'known_hosts'), gitSsh.knownHosts + '\n');
  servers.set(NAMES[0], harnessInfo<KubeInfo>('kube'));
  // three more API servers, each with its own etcd: separate clusters, not namespaces of one
  const started = await Promise.all(NAMES.slice(1, 4).map((n) => startKube(n)));
  NAMES.slice(1, 4).forEach((n, i) => servers.set(n, started[i]));
  for (const [n, info] of servers) writeKubeconfig(n, info);
  // the broken cluster: a real kubeconfig whose server is a port nothing listens on. Port 1023:
  // the kernel never hands out a port below 1024 to a bind on port 0, which every harness server
  // makes; a free ephemeral port was taken by another file's server before up (CI: 'wrong version
  // number' from a plain-HTTP listener instead of ECONNREFUSED)
  writeKubeconfig(BROKEN, servers.get(NAMES[0]) as KubeInfo, 'https://127.0.0.1:1023');
  writeInventory(NAMES);
}, 600_000);

afterAll(async () => {
  for (const dir of extraKubes) await kubeService.stop(dir).catch(() => undefined);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// The first preview knows the files (Repository computes the sync URL in check) and the objects
// (ControllerInstall plans with no committed kustomization.yaml until SyncManifests has read one).
test('preview prints, as JSON, the files each cluster would commit and the objects it would apply, and writes nothing', async () => {
  const run = await landingZone(['preview']);
  const r = JSON.parse(run.stdout) as Report;
  expect(r.clusters.map((c) => [c.name, c.action, c.status])).toEqual(NAMES.map((n) => [n, 'preview', 'ok']));
  for (const n of NAMES) {
    const s = row(r, n).summary!;
    expect(s.changes).toBe(true);
    expect(s.files.map((f) => f.path).sort()).toEqual([
      `clusters/${n}/${NS}/gotk-components.yaml`,
      `clusters/${n}/${NS}/gotk-sync.yaml`,
      `clusters/${n}/${NS}/kustomization.yaml (if absent)`,
    ]);
    expect(s.objects.create).toBeGreaterThan(20);
  }
  expect(run.code).toBe(0);
  expect(() => git(['rev-parse', '--verify', '-q', 'refs/heads/main'])).toThrow();
}, 900_000);

test('up bootstraps the four reachable clusters, goes on past the broken one, prints a table and exits 1', async () => {
  const run = await landingZone(['up', '--json', path.join(tmp, 'up.json')]);
  const r = JSON.parse(fs.readFileSync(path.join(tmp, 'up.json'), 'utf8')) as Report;
  expect(run.code).toBe(1);
  expect([r.ok, r.failed]).toEqual([4, 1]);
  expect(row(r, BROKEN).status).toBe('failed');
  expect(row(r, BROKEN).error).toMatch(/ECONNREFUSED|connect|unreachable/i);
  expect(run.stdout).toMatch(new RegExp(`^${BROKEN}\\s+up\\s+failed`, 'm'));
  expect(run.stdout).toContain('4 succeeded, 1 failed');
  expect(run.stderr).toMatch(/\[eu-1\] up started/);
  for (const n of NAMES.filter((x) => x !== BROKEN)) {
    expect(row(r, n).status).toBe('ok');
    expect(await fluxNamespaceOf(n)).toBe('Active');
  }
  // one commit per cluster, the broken one's too (the repository side ran before the cluster)
  expect(commits().length).toBe(5);
  for (const out of [run.stdout, run.stderr]) expect(out).not.toContain(pushKey.split('\n')[1]);
}, 1_800_000);

test("after the broken cluster's kubeconfig is fixed, a rerun changes only that cluster", async () => {
  const fixed = await startKube(BROKEN);
  servers.set(BROKEN, fixed);
  writeKubeconfig(BROKEN, fixed);
  const before = commits();
  const run = await landingZone(['up', '--json', path.join(tmp, 'rerun.json')]);
  const r = JSON.parse(fs.readFileSync(path.join(tmp, 'rerun.json'), 'utf8')) as Report;
  expect(run.code).toBe(0);
  expect([r.ok, r.failed]).toEqual([5, 0]);
  for (const n of NAMES.filter((x) => x !== BROKEN)) expect(row(r, n).summary?.changes).toBe(false);
  expect(row(r, BROKEN).summary?.changes).toBe(true);
  expect(row(r, BROKEN).summary?.files).toEqual([]);
  expect(await fluxNamespaceOf(BROKEN)).toBe('Active');
  expect(commits()).toEqual(before);
}, 1_800_000);

test('a cluster removed from the inventory is kept, and destroyed only with --destroy-removed', async () => {
  const gone = 'us-2';
  writeInventory(NAMES.filter((n) => n !== gone));
  const kept = await landingZone(['preview']);
  const k = JSON.parse(kept.stdout) as Report;
  expect(kept.code).toBe(0);
  expect(row(k, gone)).toMatchObject({ action: 'none', status: 'kept' });
  expect(kept.stderr).toContain(
    `[${gone}] its stack exists but the cluster is not in the inventory: kept (pass --destroy-removed to destroy it)`,
  );
  expect(await fluxNamespaceOf(gone)).toBe('Active');

  const run = await landingZone(['up', '--destroy-removed', '--json', path.join(tmp, 'destroy.json')]);
  const r = JSON.parse(fs.readFileSync(path.join(tmp, 'destroy.json'), 'utf8')) as Report;
  expect(run.code).toBe(0);
  expect(row(r, gone)).toMatchObject({ action: 'destroy', status: 'ok' });
  expect(await fluxNamespaceOf(gone)).not.toBe('Active');
  expect(
    git(['ls-tree', '-r', '--name-only', 'refs/heads/main'])
      .split('\n')
      .filter((f) => f.startsWith(`clusters/${gone}/`)),
  ).toEqual([]);
  const again = JSON.parse((await landingZone(['preview'])).stdout) as Report;
  expect(again.clusters.map((c) => c.name)).not.toContain(gone);
}, 1_800_000);
