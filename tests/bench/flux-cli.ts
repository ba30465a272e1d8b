// The anchor, side by side: `flux bootstrap git` of the same release against the same servers,
// with the harness's Flux controllers reconciling (for both tools), then ours with the
// reconciliation (and the controllers' health) awaited, twice: with the dynamic resources, and
// served by the provider plugin (`flux-bootstrap/pulumi/plugin`). The CLI is built here from its module
// (tests/harness/flux-cli-build.ts). Its last step waits for the controller Deployments to
// become Available, which an API server without nodes never makes them: while it runs,
// deployments-available.ts writes the status a healthy rollout has (for ours too).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect, uninstall } from '../../provider/cluster';
import { buildFluxCli, FLUX_CLI_VERSION } from '../harness/flux-cli-build';
import { createBareRepo, generateKeyPair, grantKey, repoDir, urlFor, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { GitSshFlow, type UpResult } from '../harness/pulumi-git-ssh-flow';
import type { Timings } from '../harness/up-timeline';
import { markDeploymentsAvailable } from './deployments-available';
import { namespaceGone } from './namespace-gone';
import { measure, kib, upWall, type Cost } from './observe';
import type { Row } from './stats';
import { commitCount } from '../integration/git/bare-repo';

const DONE = /all components are healthy/;

export interface FluxRun {
  cost: Cost;
  phases: Array<[string, number]>;
  commits: number;
}

async function runFlux(
  flux: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  services: { gitSsh: GitSshInfo; kube: KubeInfo },
  repo: string,
): Promise<FluxRun> {
  const phases: Array<[string, number]> = [];
  const stop = markDeploymentsAvailable(services.kube, 'flux-system');
  try {
    const { cost } = await measure(
      services,
      () =>
        new Promise<void>((resolve, reject) => {
          const t = Date.now();
          const child = spawn(flux, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
          let text = '';
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`flux bootstrap did not finish in 5 min:\n${text.slice(-3000)}`));
          }, 300_000);
          const onData = (b: Buffer) => {
            for (const line of b
              .toString('utf8')
              .split('\n')
              .filter((l) => l.trim())) {
              text += line + '\n';
              phases.push([line.trim(), Date.now() - t]);
            }
          };
          child.stdout.on('data', onData);
          child.stderr.on('data', onData);
          child.on('close', (code) => {
            clearTimeout(timer);
            if (code === 0 && phases.some(([l]) => DONE.test(l))) resolve();
            else reject(new Error(`flux bootstrap exited ${code}:\n${text.slice(-3000)}`));
          });
        }),
    );
    const commits = commitCount(repoDir(services.gitSsh, repo));
    return { cost, phases, commits };
  } finally {
    await stop();
  }
}

/** "engine 1.2; Repository 1.3–1.6, ...; Ready 7.0" from the up timeline. */
function steps(t: Timings): string {
  const s = (ms: number | null) => (ms === null ? '?' : (ms / 1000).toFixed(1));
  return [
    `engine events from ${s(t.engineStartedMs)}`,
    ...t.steps.map((x) => `${x.name} ${s(x.startMs)}–${s(x.endMs)}`),
    `pushed ${s(t.pushedMs)}`,
    `Kustomization Ready ${s(t.kustomizationReadyMs)}`,
  ].join('; ');
}

const at = (r: FluxRun, re: RegExp) => r.phases.find(([l]) => re.test(l))?.[1];
const secs = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);

export interface FluxSide {
  rows: Row[];
  oursFirst?: Cost;
  /** ours bumped v2.8.5 -> v2.9.3 with reconciliation and health awaited, as the Terraform
   *  provider's apply waits */
  oursBump?: Cost;
  timings?: Timings;
}

export async function fluxSideBySide(
  services: { kube: KubeInfo; gitSsh: GitSshInfo; pulumi: PulumiInfo },
  workDir: string,
  log: (m: string) => void,
): Promise<FluxSide> {
  let flux: string;
  try {
    log('flux CLI: building (or reusing) flux from its module, with the release manifests embedded');
    flux = buildFluxCli();
  } catch (e) {
    return {
      rows: [
        { section: 'vs flux bootstrap git', measure: 'flux CLI', ours: '', flux: `not built: ${(e as Error).message.split('\n')[0]}` },
      ],
    };
  }
  const { gitSsh, kube } = services;
  const dir = path.join(workDir, 'flux-cli');
  fs.mkdirSync(path.join(dir, 'home', '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'home', '.ssh', 'known_hosts'), gitSsh.knownHosts);
  const repo = 'bench/flux-cli';
  createBareRepo(gitSsh, repo);
  const key = generateKeyPair(dir, 'flux-key', 'ed25519');
  grantKey(gitSsh, key.publicKey, repo, 'rw'); // flux uses it to push and, in the Secret, to pull
  const args = [
    'bootstrap',
    'git',
    `--url=${urlFor(gitSsh, repo)}`,
    '--branch=main',
    '--path=clusters/flux-cli',
    `--private-key-file=${key.privateKeyFile}`,
    '--silent',
    `--kubeconfig=${kube.kubeconfig}`,
    `--version=${FLUX_CLI_VERSION}`,
    '--timeout=4m',
  ];
  const env = { PATH: process.env.PATH, HOME: path.join(dir, 'home') };

  await namespaceGone(kube, log);
  log('flux bootstrap git: first run');
  const first = await runFlux(flux, args, env, services, repo);
  log('flux bootstrap git: second run (nothing to change)');
  const second = await runFlux(flux, args, env, services, repo);
  const conn = await connect({ kubeconfigPath: kube.kubeconfig });
  try {
    log('flux bootstrap git: uninstalling it before ours runs');
    await uninstall(conn, { namespace: 'flux-system', keepNamespace: false });
  } finally {
    conn.close();
  }

  const ours = await oursReconciled(services, dir, false, log);
  const viaPlugin = await oursReconciled(services, dir, true, log);
  const S = 'vs flux bootstrap git';
  const sessions = (c: Cost) => `${c.gitSessions} (${c.pushes}); ${kib(c.gitBytes)}`;
  const api = (c: Cost) => `${c.apiRequests} (${c.apiWrites})`;
  const rows: Row[] = [
    {
      section: S,
      measure: 'first run: until Kustomization reconciled',
      ours: secs(ours.value.timings.kustomizationReadyMs ?? ours.value.timings.upMs),
      flux: secs(at(first, /Kustomization reconciled successfully/)),
      headline: true,
    },
    {
      section: S,
      measure: 'first run: until the (last) push',
      ours: secs(ours.value.timings.pushedMs ?? undefined),
      flux: secs(at(first, /applying sync manifests/)),
    }, // the line after its last push
    { section: S, measure: 'first run: until done (controllers healthy)', ours: secs(ours.value.timings.upMs), flux: secs(first.cost.ms) },
    { section: S, measure: 'first run: where ours spends it (s from up start)', ours: steps(ours.value.timings), flux: '' },
    {
      section: S,
      measure: 'first run, served by the plugin: until Kustomization reconciled; until done',
      ours: `${secs(viaPlugin.value.timings.kustomizationReadyMs ?? undefined)}; ${secs(viaPlugin.value.timings.upMs)}`,
      flux: `${secs(at(first, /Kustomization reconciled successfully/))}; ${secs(first.cost.ms)}`,
      headline: true,
    },
    {
      section: S,
      measure: 'first run, served by the plugin: where ours spends it (s from up start)',
      ours: steps(viaPlugin.value.timings),
      flux: '',
    },
    { section: S, measure: 'first run: commits', ours: String(ours.commits), flux: String(first.commits) },
    { section: S, measure: 'first run: git sessions (pushes); bytes from server', ours: sessions(ours.cost), flux: sessions(first.cost) },
    { section: S, measure: 'first run: API requests (writes)', ours: api(ours.cost), flux: api(first.cost), headline: true },
    { section: S, measure: 'no-change run: wall', ours: secs(ours.again!.cost.ms), flux: secs(second.cost.ms), headline: true },
    { section: S, measure: 'no-change run: commits added', ours: '0', flux: String(second.commits - first.commits) },
    {
      section: S,
      measure: 'no-change run: git sessions (pushes); bytes',
      ours: sessions(ours.again!.cost),
      flux: sessions(second.cost),
      headline: true,
    },
    { section: S, measure: 'no-change run: API requests (writes)', ours: api(ours.again!.cost), flux: api(second.cost) },
  ];
  return { rows, oursFirst: upWall(ours), oursBump: ours.bump && upWall(ours.bump), timings: ours.value.timings };
}

/** Ours with reconciliation and the controllers' health awaited, as flux waits: a first up
 *  (then, with the dynamic resources, a no-change one), its commits, and destroy. `servedByPlugin`: the
 *  program imports `flux-bootstrap/pulumi/plugin` (plugin-served.ts). */
async function oursReconciled(
  services: { kube: KubeInfo; gitSsh: GitSshInfo; pulumi: PulumiInfo },
  dir: string,
  servedByPlugin: boolean,
  log: (m: string) => void,
): Promise<{ cost: Cost; value: UpResult; again?: { cost: Cost }; bump?: { cost: Cost; value: UpResult }; commits: number }> {
  const { kube } = services;
  await namespaceGone(kube, log);
  log(`flux-bootstrap${servedByPlugin ? ' served by the plugin' : ''}: the same with reconciliation and the controllers' health awaited`);
  const flow = await GitSshFlow.prepare(services, {
    workDir: path.join(dir, servedByPlugin ? 'ours-plugin' : 'ours'),
    repo: servedByPlugin ? 'bench/ours-plugin' : 'bench/ours-reconciled',
    stackName: servedByPlugin ? 'bench-reconciled-plugin' : 'bench-reconciled',
    awaitReconciliation: true,
    servedByPlugin,
  });
  await flow.program.stack.setConfig('waitDeployments', { value: 'true' }); // as flux and the Terraform provider do
  const stop = markDeploymentsAvailable(kube, 'flux-system');
  try {
    const first = await measure(services, () => flow.up(FLUX_CLI_VERSION));
    const again = servedByPlugin ? undefined : await measure(services, () => flow.program.stack.up({ color: 'never' }));
    const commits = commitCount(repoDir(services.gitSsh, flow.repo));
    let bump: { cost: Cost; value: UpResult } | undefined;
    if (!servedByPlugin) {
      // the Terraform provider's bump, with the same waits: back to v2.8.5 (not measured), then up
      log('flux-bootstrap: version bump v2.8.5 -> v2.9.3 with reconciliation and health awaited');
      await flow.up('v2.8.5');
      bump = await measure(services, () => flow.up(FLUX_CLI_VERSION));
    }
    return { ...first, again, bump, commits };
  } finally {
    await stop();
    await flow.destroy();
    await flow.removeStack();
  }
}

/** How the side-by-side runs. */
export function fluxCliNote(): string {
  return [
    'flux bootstrap git is built from github.com/fluxcd/flux2/v2 with the release manifests copied into',
    'cmd/flux/manifests (generated by its Makefile, absent from the module zip). Its last step waits for',
    'the controller Deployments to become Available, which this node-less API server never makes them:',
    'while it runs (and while ours runs, waiting for the same), a loop writes the status a healthy',
    'rollout has (tests/bench/deployments-available.ts); its requests are not counted.',
  ].join('\n');
}
