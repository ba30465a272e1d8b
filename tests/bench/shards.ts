// `npm run bench -- shards`: examples/landing-zone over one inventory in 1, 2 and 4 shard
// processes at once (`--shard i/n`, each with --concurrency 2, as n CI runners would run it),
// on the harness's S3 server as the shared Pulumi backend, one fleet repository and one API
// server (a Flux namespace per cluster; no waits, no kubelet). Per run: the wall of the slowest
// process, the CPU of all of them (their whole process trees: the landing zone, the Pulumi CLIs,
// the dynamic providers, git and ssh; not the servers'), the S3 requests and the pushes.
// A first `up`, then a no-change `up`.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { distributionDir, projectRoot } from '../harness/flux-reference';
import { keyCommand } from '../harness/git-ssh-key-command';
import { accessLog, createBareRepo, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import { pulumiEnv, type PulumiInfo } from '../harness/pulumi';
import { s3BackendEnv, s3Requests, type S3BackendInfo } from '../harness/s3-backend';
import { commitCount } from '../integration/git/bare-repo';
import type { Row } from './stats';

const MAIN = path.join(projectRoot(), 'examples', 'landing-zone', 'main.ts');

interface Services {
  kube: KubeInfo;
  gitSsh: GitSshInfo;
  pulumi: PulumiInfo;
  s3: S3BackendInfo;
}

interface Pass {
  wallMs: number;
  cpuS: number;
  s3Requests: number;
  pushes: number;
}

/** One process under GNU time: its wall and the CPU of its whole (reaped) process tree. */
function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<{ cpuS: number }> {
  const out = path.join(cwd, `time-${process.hrtime.bigint()}.txt`);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', out, process.execPath, MAIN, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`landing-zone ${args.join(' ')} exited ${code}:\n${stderr.slice(-3000)}`));
      const [user, sys] = fs.readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      log(`landing-zone ${args.slice(0, 3).join(' ')}: ${(user + sys).toFixed(1)} CPU-s`);
      resolve({ cpuS: user + sys });
    });
  });
}

async function pass(
  s: Services,
  dir: string,
  repo: string,
  shards: number,
  project: string,
  env: NodeJS.ProcessEnv,
  log: (m: string) => void,
): Promise<Pass> {
  const mark = s3Requests(s.s3).end;
  const pushesBefore = accessLog(s.gitSsh, repo).filter((x) => x.verb === 'receive-pack').length;
  const t = Date.now();
  const runs = await Promise.all(
    Array.from({ length: shards }, (_, i) =>
      timed(
        ['up', '--shard', `${i + 1}/${shards}`, '--inventory', 'inventory.yaml', '--project', project, '--concurrency', '2'],
        dir,
        env,
        log,
      ),
    ),
  );
  const wallMs = Date.now() - t;
  await new Promise((r) => setTimeout(r, 300));
  return {
    wallMs,
    cpuS: runs.reduce((n, r) => n + r.cpuS, 0),
    s3Requests: s3Requests(s.s3, mark).lines.length,
    pushes: accessLog(s.gitSsh, repo).filter((x) => x.verb === 'receive-pack').length - pushesBefore,
  };
}

function inventory(s: Services, repo: string, names: string[], dir: string): void {
  const clusters = names
    .map((n) => `  - name: ${n}\n    kubeconfig: {file: kubeconfig}\n    path: clusters/${n}\n    options: {namespace: ${n}}\n`)
    .join('');
  fs.copyFileSync(s.kube.kubeconfig, path.join(dir, 'kubeconfig'));
  fs.writeFileSync(
    path.join(dir, 'inventory.yaml'),
    `defaults:
  version: v2.9.3
  repository:
    host: git
    url: ${urlFor(s.gitSsh, repo)}
    push: {privateKey: {file: push.key}, knownHosts: {file: known_hosts}}
    addKeyCommand: ${JSON.stringify(keyCommand('add', s.gitSsh.stateDir, repo))}
    removeKeyCommand: ${JSON.stringify(keyCommand('remove', s.gitSsh.stateDir, repo))}
  options:
    distribution: ${distributionDir('v2.9.3')}
    deployKey: {knownHosts: {file: known_hosts}}
    wait: {reconciliation: false, deployments: false}
clusters:
${clusters}`,
  );
}

export async function shardsBench(s: Services, workDir: string, clusters: number, log: (m: string) => void): Promise<Row[]> {
  const S = `landing zone, ${clusters} clusters in shards`;
  const rows: Row[] = [];
  const env = { ...pulumiEnv(s.pulumi), ...s3BackendEnv(s.s3) };
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  for (const shards of [1, 2, 4]) {
    const dir = path.join(workDir, `shards-${shards}`);
    fs.mkdirSync(dir, { recursive: true });
    const repo = `bench/shards-${shards}`;
    createBareRepo(s.gitSsh, repo);
    const key = generateKeyPair(dir, 'push', 'ed25519');
    fs.copyFileSync(key.privateKeyFile, path.join(dir, 'push.key'));
    grantKey(s.gitSsh, key.publicKey, repo, 'rw');
    fs.writeFileSync(path.join(dir, 'known_hosts'), s.gitSsh.knownHosts + '\n');
    const names = Array.from({ length: clusters }, (_, i) => `s${shards}-c${String(i + 1).padStart(2, '0')}`);
    inventory(s, repo, names, dir);
    const project = `bench-shards-${shards}`;
    log(`landing zone: ${clusters} clusters in ${shards} shard process(es): up`);
    const up = await pass(s, dir, repo, shards, project, env, log);
    const commits = commitCount(repoDir(s.gitSsh, repo));
    if (commits !== clusters) throw new Error(`${shards} shards: ${commits} commits for ${clusters} clusters`);
    log(`landing zone: ${clusters} clusters in ${shards} shard process(es): no-change up`);
    const again = await pass(s, dir, repo, shards, project, env, log);
    if (commitCount(repoDir(s.gitSsh, repo)) !== commits) throw new Error(`${shards} shards: the no-change up committed`);
    const who = `${shards} process${shards === 1 ? '' : 'es'} at once`;
    const per = (p: Pass) =>
      `${secs(p.wallMs)}; ${secs(p.wallMs / clusters)} per cluster; CPU ${(p.cpuS / clusters).toFixed(1)} s per cluster`;
    rows.push(
      { section: S, measure: `up, ${who}: wall; per cluster; CPU per cluster`, ours: per(up), headline: shards === 4 },
      {
        section: S,
        measure: `up, ${who}: S3 requests per cluster; pushes (rejected)`,
        ours: `${(up.s3Requests / clusters).toFixed(0)}; ${up.pushes} (${up.pushes - commits})`,
      },
      { section: S, measure: `no-change up, ${who}: wall; per cluster; CPU per cluster`, ours: per(again) },
      {
        section: S,
        measure: `no-change up, ${who}: S3 requests per cluster; pushes`,
        ours: `${(again.s3Requests / clusters).toFixed(0)}; ${again.pushes}`,
      },
    );
  }
  return rows;
}
