// harness: kube-audit, git-ssh, pulumi, s3-backend
// examples/landing-zone past one machine: four shard processes at once (`--shard i/4`, as four
// CI runners run them) over one inventory of 40 clusters, one fleet repository on the harness
// sshd and one Pulumi backend on a real S3 server (gofakes3, spoken to by Pulumi's own S3 backend
// code). Two clusters have an API server each (CRDs and all, as the five-cluster test has
// them); the other 38 are Flux namespaces of the harness's API server, the closest this harness
// comes to 38 more clusters. Waiting for Flux is off: no kubelet runs.
//
// - the shards' previews merge into the report one process writes;
// - the shards' `up`s bootstrap all 40 while one shard is killed outright midway (its whole
//   process tree, as a lost runner dies); its rerun removes the stale locks, finishes, and
//   leaves no lock and no pending operation; one commit per cluster, none lost, none doubled;
// - a second pass with one shard given to two processes at once: no commit, no cluster write,
//   one of the pair waits for the stacks the other holds; clusters taken out of the inventory
//   are each reported by exactly one shard.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from '../../provider/cluster';
import { distributionDir } from '../harness/flux-reference';
import { keyCommand } from '../harness/git-ssh-key-command';
import {
  accessLog,
  createBareRepo,
  enableAccessLog,
  generateKeyPair,
  grantKey,
  listGrants,
  repoDir,
  urlFor,
  type GitSshInfo,
} from '../harness/git-ssh';
import { auditedRequests, auditMark, kube as kubeService, type KubeInfo } from '../harness/kube';
import { pulumiEnv, type PulumiInfo } from '../harness/pulumi';
import { s3BackendEnv, type S3BackendInfo } from '../harness/s3-backend';
import { harnessInfo } from '../harness/state';
import { checkpoints, lockFiles } from './landing-zone/backend-state';
import { killTree, MAIN, startLandingZone, until, type Run, type Running } from './landing-zone/runs';

const N = 40;
const NAMES = Array.from({ length: N }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);
const DEDICATED = ['c01', 'c02'];
const suffix = `${Date.now().toString(36)}${process.pid}`;
const REPO = `landing/shards-${suffix}`;
const PROJECT = `lz-${suffix}`;
const BUCKET = 'pulumi-state';

let tmp: string;
let gitSsh: GitSshInfo;
let s3: S3BackendInfo;
let env: NodeJS.ProcessEnv;
let pushKey: string;
const servers = new Map<string, KubeInfo>();
const extraKubes: string[] = [];

interface Row {
  name: string;
  action: string;
  status: string;
  seconds: number;
  position?: number;
  summary?: { changes: boolean };
}
interface Report {
  command: string;
  shard?: string;
  shards?: number;
  ok: number;
  failed: number;
  kept: number;
  clusters: Row[];
}

const say = (m: string) => process.stderr.write(`[shards e2e] ${m}\n`);
const inventoryFile = () => path.join(tmp, 'inventory.yaml');
const reportOf = (file: string) => JSON.parse(fs.readFileSync(path.join(tmp, file), 'utf8')) as Report;
/** A report as one run of any shape writes it: no timings, no shard fields. */
const comparable = (r: Report) => ({ ...r, shard: undefined, shards: undefined, clusters: r.clusters.map((c) => ({ ...c, seconds: 0 })) });

function writeInventory(names: string[]): void {
  const clusters = names
    .map((n) => `  - name: ${n}\n    kubeconfig: {file: kube/${n}.yaml}\n    path: clusters/${n}\n    options: {namespace: flux-${n}}\n`)
    .join('');
  fs.writeFileSync(
    inventoryFile(),
    `defaults:
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
    distribution: ${distributionDir('v2.8.5')}
    deployKey: {knownHosts: {file: known_hosts}}
    wait: {reconciliation: false, deployments: false}
clusters:
${clusters}`,
  );
}

function lz(args: string[], tag: string, project = PROJECT): Running {
  return startLandingZone([...args, '--inventory', inventoryFile(), '--project', project, '--concurrency', '2'], { cwd: tmp, env, tag });
}
const shardRun = (command: string, i: number, json: string, extra: string[] = []) =>
  lz([command, '--shard', `${i}/4`, '--json', path.join(tmp, json), ...extra], `${command} ${i}/4`);

function merge(files: string[], out: string): { code: number; stdout: string } {
  try {
    const args = [MAIN, 'merge', ...files.map((f) => path.join(tmp, f)), '--json', path.join(tmp, out)];
    return { code: 0, stdout: execFileSync(process.execPath, args, { encoding: 'utf8' }) };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, stdout: err.stdout };
  }
}

function git(args: string[]): string {
  return execFileSync('git', ['--git-dir', repoDir(gitSsh, REPO), ...args], { encoding: 'utf8' }).trim();
}
const commitCount = () => {
  try {
    return Number(git(['rev-list', '--count', 'refs/heads/main']));
  } catch {
    return 0;
  }
};

/** Writes (not dry-runs) the landing zone made on every API server since the marks. */
function clusterWrites(marks: Map<KubeInfo, number>): string[] {
  return [...marks].flatMap(([info, mark]) =>
    auditedRequests(info, mark)
      .requests.filter((r) => ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(r.verb) && !/[?&]dryRun=/.test(r.uri))
      .map((r) => `${r.verb} ${r.uri}`),
  );
}
const auditMarks = () => new Map([...new Set(servers.values())].map((info) => [info, auditMark(info)]));

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-shards-'));
  fs.mkdirSync(path.join(tmp, 'kube'));
  gitSsh = harnessInfo<GitSshInfo>('git-ssh');
  s3 = harnessInfo<S3BackendInfo>('s3-backend');
  env = { ...pulumiEnv(harnessInfo<PulumiInfo>('pulumi')), ...s3BackendEnv(s3, BUCKET) };
  enableAccessLog(gitSsh);
  createBareRepo(gitSsh, REPO);
  const push = generateKeyPair(tmp, 'push');
  pushKey = push.privateKey;
  fs.copyFileSync(push.privateKeyFile, path.join(tmp, 'push.key'));
  grantKey(gitSsh, push.publicKey, REPO, 'rw');
  fs.writeFileSync(path.join(tmp, 'known_hosts'), gitSsh.knownHosts + '\n');
  const shared = harnessInfo<KubeInfo>('kube');
  process.env.FLUX_BOOTSTRAP_KUBE_AUDIT = '1'; // the dedicated API servers count requests too
  const t = Date.now();
  const own = await Promise.all(
    DEDICATED.map((n) => {
      const dir = path.join(tmp, `kube-${n}`);
      fs.mkdirSync(dir);
      extraKubes.push(dir);
      return kubeService.start(dir, {});
    }),
  );
  say(`${DEDICATED.length} more API servers in ${Math.round((Date.now() - t) / 1000)} s`);
  for (const n of NAMES) servers.set(n, DEDICATED.includes(n) ? own[DEDICATED.indexOf(n)] : shared);
  for (const [n, info] of servers) fs.copyFileSync(info.kubeconfig, path.join(tmp, 'kube', `${n}.yaml`));
  writeInventory(NAMES);
}, 600_000);

afterAll(async () => {
  for (const dir of extraKubes) await kubeService.stop(dir).catch(() => undefined);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("four shards' previews merge into the report one process writes, and nothing is written", async () => {
  const t = Date.now();
  const runs = [
    lz(['preview', '--json', path.join(tmp, 'single-preview.json')], 'preview 1 process', `${PROJECT}-single`),
    ...[1, 2, 3, 4].map((i) => shardRun('preview', i, `preview-${i}.json`)),
  ];
  const done = await Promise.all(runs.map((r) => r.done));
  say(`previews: 1 process and 4 shards at once, ${N} clusters each: ${Math.round((Date.now() - t) / 1000)} s`);
  expect(done.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
  const merged = merge(
    [1, 2, 3, 4].map((i) => `preview-${i}.json`),
    'preview-merged.json',
  );
  expect(merged.code).toBe(0);
  const single = reportOf('single-preview.json');
  expect(single.clusters.map((c) => c.name)).toEqual(NAMES);
  expect(single.clusters.every((c) => c.summary?.changes)).toBe(true);
  expect(comparable(reportOf('preview-merged.json'))).toEqual(comparable(single));
  expect(merged.stdout).toContain(`${N} succeeded, 0 failed`);
  const sizes = [1, 2, 3, 4].map((i) => reportOf(`preview-${i}.json`).clusters.length);
  say(`shard sizes: ${sizes.join(', ')}`);
  expect(commitCount()).toBe(0);
}, 900_000);

test('four shards bootstrap 40 clusters into one repository while one is killed midway; its rerun finishes and leaves nothing half-done', async () => {
  const t = Date.now();
  const others = [1, 3, 4].map((i) => shardRun('up', i, `up-${i}.json`));
  const doomed = shardRun('up', 2, 'up-2.json');
  // midway: two clusters done, and the commit or the install of another in flight
  await until(() => (doomed.stderr().match(/\] up ended after/g) ?? []).length >= 2, 600_000, 'shard 2 to finish two clusters');
  const ended = doomed.stderr().length;
  const inFlight = /\] create flux-bootstrap:SyncManifests |\] flux-bootstrap ControllerPreinstall: \[/;
  await until(() => inFlight.test(doomed.stderr().slice(ended)), 300_000, 'shard 2 to be committing or installing another cluster');
  const killed = killTree(doomed.pid);
  const k = await doomed.done;
  say(`killed shard 2 (${killed.length} processes: ${killed.join('; ')}) ${Math.round((Date.now() - t) / 1000)} s after the start`);
  expect(k.signal).toBe('SIGKILL');
  expect(fs.existsSync(path.join(tmp, 'up-2.json'))).toBe(false);
  // what the kill left of shard 2's stacks (the other shards' running updates hold locks too)
  const mine = new Set(reportOf('preview-2.json').clusters.map((c) => c.name));
  const leftLocks = (await lockFiles(s3, BUCKET)).filter((k) => mine.has(k.split('/').at(-2) ?? ''));
  const leftPending = (await checkpoints(s3, BUCKET, PROJECT)).filter((c) => mine.has(c.name)).flatMap((c) => c.pending);
  say(`the kill left ${leftLocks.length} lock(s) and ${leftPending.length} pending operation(s) in shard 2's stacks`);
  expect(leftLocks.length).toBeGreaterThan(0);

  const rerun = await shardRun('up', 2, 'up-2.json').done;
  const done: Run[] = await Promise.all(others.map((r) => r.done));
  say(`up of ${N} clusters in 4 shards, the kill and the rerun: ${Math.round((Date.now() - t) / 1000)} s`);
  expect([...done, rerun].map((r) => r.code)).toEqual([0, 0, 0, 0]);
  expect(rerun.stderr).toMatch(/removing a stale lock: .*no longer runs/);
  const merged = merge(
    [1, 2, 3, 4].map((i) => `up-${i}.json`),
    'up-merged.json',
  );
  expect(merged.code).toBe(0);
  expect(reportOf('up-merged.json')).toMatchObject({ ok: N, failed: 0, kept: 0 });

  // one commit per cluster, each touching its cluster's directory only: none lost, none doubled
  const touched = git(['log', '--format=%x40', '--name-only', 'refs/heads/main'])
    .split('@')
    .map((c) => [
      ...new Set(
        c
          .split('\n')
          .filter(Boolean)
          .map((f) => f.split('/')[1]),
      ),
    ])
    .filter((c) => c.length);
  expect(touched.every((c) => c.length === 1)).toBe(true);
  expect(touched.map((c) => c[0]).sort()).toEqual(NAMES);
  const tree = git(['ls-tree', '-r', '--name-only', 'refs/heads/main']).split('\n');
  for (const n of NAMES)
    expect(tree.filter((f) => f.startsWith(`clusters/${n}/`)).sort()).toEqual(
      ['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'].map((f) => `clusters/${n}/flux-${n}/${f}`),
    );
  const pushes = accessLog(gitSsh, REPO).filter((s) => s.verb === 'receive-pack').length;
  say(`${touched.length} commits from ${pushes} pushes (${pushes - touched.length} lost a race and were retried, or died with shard 2)`);
  expect(listGrants(gitSsh).filter((g) => g.repo === REPO && g.access === 'ro')).toHaveLength(N);

  // nothing half-done in the backend: no lock, no pending operation; secrets stay ciphertext
  expect(await lockFiles(s3, BUCKET)).toEqual([]);
  const stacks = await checkpoints(s3, BUCKET, PROJECT);
  expect(stacks.map((s) => s.name).sort()).toEqual(NAMES);
  expect(stacks.flatMap((s) => s.pending)).toEqual([]);
  for (const s of stacks) {
    expect(s.secretsProvider).toBe('passphrase');
    expect(s.text).not.toContain(pushKey.split('\n')[1]);
    expect(s.text).not.toMatch(/PRIVATE KEY-----/);
  }
  // every cluster has its Flux: four controllers in its namespace on its API server
  for (const info of new Set(servers.values())) {
    const conn = await connect({ kubeconfigPath: info.kubeconfig });
    try {
      const list = await conn.getOrUndefined<{ items: { metadata: { namespace: string } }[] }>('/apis/apps/v1/deployments');
      const here = NAMES.filter((n) => servers.get(n) === info);
      for (const n of here) expect(list?.items.filter((d) => d.metadata.namespace === `flux-${n}`).length).toBe(4);
    } finally {
      conn.close();
    }
  }
}, 1_800_000);

test('a second pass, one shard run twice at once and two clusters taken out: no commit, no cluster write, one of the pair waits, each removed cluster reported once', async () => {
  const gone = ['c07', 'c23'];
  writeInventory(NAMES.filter((n) => !gone.includes(n)));
  const commits = commitCount();
  const marks = auditMarks();
  const t = Date.now();
  const runs = [...[1, 2, 3, 4].map((i) => shardRun('up', i, `again-${i}.json`)), shardRun('up', 2, 'again-2b.json')];
  const done = await Promise.all(runs.map((r) => r.done));
  say(`second pass, 5 processes: ${Math.round((Date.now() - t) / 1000)} s`);
  expect(done.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
  expect(commitCount()).toBe(commits);
  await new Promise((r) => setTimeout(r, 500)); // the audit log is written as requests end
  expect(clusterWrites(marks)).toEqual([]);
  const pair = [done[1], done[4]];
  const waits = pair.map((r) => (r.stderr.match(/\] locked by .*: waiting/g) ?? []).length);
  say(`the two runs of shard 2 waited ${waits.join(' and ')} times for a stack the other held`);
  expect(waits[0] + waits[1]).toBeGreaterThan(0);
  for (const f of ['again-2.json', 'again-2b.json']) expect(reportOf(f).failed).toBe(0);

  const merged = merge(
    [1, 2, 3, 4].map((i) => `again-${i}.json`),
    'again-merged.json',
  );
  expect(merged.code).toBe(0);
  const r = reportOf('again-merged.json');
  expect(r).toMatchObject({ ok: N - gone.length, failed: 0, kept: gone.length });
  expect(r.clusters.filter((c) => c.status === 'ok').every((c) => c.summary?.changes === false)).toBe(true);
  for (const n of gone) {
    const owners = [1, 2, 3, 4].filter((i) => reportOf(`again-${i}.json`).clusters.some((c) => c.name === n && c.status === 'kept'));
    expect(owners).toHaveLength(1);
  }
  expect(r.clusters.slice(-2).map((c) => [c.name, c.status])).toEqual(gone.map((n) => [n, 'kept']));
  expect(await lockFiles(s3, BUCKET)).toEqual([]);
}, 1_800_000);
