// `npm run bench`: where the time goes, on the harness, as one table of medians (min–max).
//   1. render: gotk-components.yaml etc. for the default four and for all seven components,
//      each in a child process of its own (so its peak RSS is its own)
//   2. one cluster: first up, no-change preview (plain and --refresh), no-change up, version
//      bump, destroy, with git sessions and bytes and API requests counted on the servers; the
//      preview beside Pulumi's floors (an empty program, one no-op dynamic resource) and the
//      same cluster served by the provider plugin
//   3. fleets of N clusters in one repository and one stack
//   4. the dynamic provider stub's size in state
//   5. `flux bootstrap git` of the same release beside ours, both reconciled by the harness's
//      Flux controllers
//   6. the Flux Terraform provider (terraform-provider-flux v1.8.5 under OpenTofu) beside both,
//      when ../shared/anchors holds its source (terraform-side.ts)
//   7. `npm run bench -- shards`: only examples/landing-zone in 1, 2 and 4 shard processes on
//      the harness's S3 server (shards.ts; --shard-clusters=N, default 8);
//      `npm run bench -- terraform`: only the side-by-sides of 5 and 6 (terraform-only.ts)
// Options: --runs=N (previews per kind, default 5), --render-runs=N (default 30),
//          --fleet=10,100,200 (sizes; --fleet= skips), --no-flux (skip the side-by-sides with
//          `flux bootstrap git` and the Terraform provider), --json=<file> (where the figures
//          go; default docs/bench/latest.json, from which scripts/bench-tables.js rewrites the
//          README's and docs/performance.md's tables), --no-harness (render figures only),
//          --keep (keep the rows of the sections this run did not measure: keep-rows.ts)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { enableAccessLog, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { newRun, startServices, tearDownRun, tearDownRunSync } from '../harness/registry';
import { fleet } from './fleet';
import { earlierFigures, withKeptRows } from './keep-rows';
import { shardsBench } from './shards';
import { terraformOnly } from './terraform-only';
import type { S3BackendInfo } from '../harness/s3-backend';
import { fluxCliNote, fluxSideBySide, type FluxSide } from './flux-cli';
import type { RenderFigures } from './render';
import { singleCluster } from './single-cluster';
import { terraformRows } from './terraform-rows';
import { terraformSideBySide } from './terraform-side';
import { projectRoot } from '../harness/flux-reference';
import { figure, show, table, type Row } from './stats';

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

function renderRows(runs: number): Row[] {
  const rows: Row[] = [];
  for (const set of ['default', 'all'] as const) {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'render.js'), `--runs=${runs}`, `--components=${set}`, '--json'], {
      encoding: 'utf8',
    });
    const r = JSON.parse(out) as RenderFigures;
    const S = `render ${r.components} components`;
    rows.push({
      section: S,
      measure: 'render (warm), 3 files',
      ours: `${show(figure(r.times), 'ms')}; first ${r.firstMs.toFixed(1)} ms`,
      headline: set === 'all',
    });
    rows.push({
      section: S,
      measure: 'output size; peak RSS of the process',
      ours: `${r.outputKiB.toFixed(0)} KiB; ${r.peakRssMiB.toFixed(0)} MiB`,
    });
  }
  return rows;
}

function machine(): string {
  const cpu = os.cpus();
  const git = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  return `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${git}`;
}

/** The harness for one run: started here, stopped on every way out. */
function benchRun() {
  process.env.FLUX_BOOTSTRAP_KUBE_AUDIT = '1'; // the API server counts requests for us
  const state = newRun('cli');
  process.on('exit', () => tearDownRunSync(state.runDir));
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      tearDownRunSync(state.runDir);
      process.exit(130);
    });
  return state;
}

/** `npm run bench -- shards`: the landing zone in 1, 2 and 4 shard processes only. */
async function onHarnessShards(rows: Row[], clusters: number, save: (after: string) => void): Promise<void> {
  const state = benchRun();
  try {
    log('harness: kube, git-ssh, pulumi, s3-backend');
    await startServices(state, ['kube', 'git-ssh', 'pulumi', 's3-backend']);
    const [kube, gitSsh, pulumi, s3] = ['kube', 'git-ssh', 'pulumi', 's3-backend'].map((n) => state.services[n].info) as [
      KubeInfo,
      GitSshInfo,
      PulumiInfo,
      S3BackendInfo,
    ];
    enableAccessLog(gitSsh);
    rows.push(...(await shardsBench({ kube, gitSsh, pulumi, s3 }, path.join(state.runDir, 'bench'), clusters, log)));
    save('landing zone shards');
  } finally {
    await tearDownRun(state).catch((e) => log(`teardown: ${(e as Error).message}`));
  }
}

/** `npm run bench -- terraform`: the side-by-sides with flux bootstrap and the Terraform provider only. */
async function onHarnessTerraform(rows: Row[], runs: number, save: (after: string) => void): Promise<void> {
  const state = benchRun();
  try {
    log('harness: kube, git-ssh, pulumi, flux-controllers');
    await startServices(state, ['kube', 'git-ssh', 'pulumi', 'flux-controllers']);
    const [kube, gitSsh, pulumi] = ['kube', 'git-ssh', 'pulumi'].map((n) => state.services[n].info) as [KubeInfo, GitSshInfo, PulumiInfo];
    enableAccessLog(gitSsh);
    rows.push(...(await terraformOnly({ kube, gitSsh, pulumi }, path.join(state.runDir, 'bench'), runs, log)));
    save('the side-by-sides');
  } finally {
    await tearDownRun(state).catch((e) => log(`teardown: ${(e as Error).message}`));
  }
}

/** Everything measured on the harness: one cluster, fleets, the side-by-sides. */
async function onHarness(
  rows: Row[],
  opts: { runs: number; fleets: number[]; flux: boolean; save: (after: string) => void },
): Promise<void> {
  const { runs, fleets } = opts;
  const state = benchRun();
  try {
    log('harness: kube, git-ssh, pulumi (the first run builds them: see README)');
    await startServices(state, ['kube', 'git-ssh', 'pulumi']);
    const kube = state.services.kube.info as KubeInfo;
    const gitSsh = state.services['git-ssh'].info as GitSshInfo;
    const pulumi = state.services.pulumi.info as PulumiInfo;
    enableAccessLog(gitSsh);
    const work = path.join(state.runDir, 'bench');
    const single = await singleCluster({ kube, gitSsh, pulumi }, work, runs, log);
    rows.push(...single.rows);
    opts.save('one cluster');
    if (opts.flux) {
      log('harness: flux-controllers (source-controller, kustomize-controller)');
      await startServices(state, ['flux-controllers']);
      const side = await fluxSideBySide({ kube, gitSsh, pulumi }, work, log).catch((e: Error): FluxSide => {
        log(`flux bootstrap git side by side failed:\n${e.message}`); // the table keeps the first line; the whole output goes here
        return {
          rows: [
            {
              section: 'vs flux bootstrap git',
              measure: 'side by side',
              ours: '',
              flux: `failed: ${e.message.split('\n').slice(0, 3).join(' ')}`,
            },
          ],
        };
      });
      rows.push(...side.rows);
      opts.save('flux bootstrap git');
      const tf = await terraformSideBySide({ kube, gitSsh }, work, log).catch((e: Error) => ({
        skipped: `failed: ${e.message.split('\n').slice(0, 3).join(' ')}`,
      }));
      rows.push(
        ...terraformRows(tf, {
          first: side.oursFirst,
          preview: single.preview,
          refresh: single.refresh,
          // the bump with the same waits as the Terraform provider's, when the side by side ran
          bump: side.oursBump ? { cost: side.oursBump, awaited: true } : { cost: single.bump, awaited: false },
          pluginPreviewMs: single.pluginPreviewMs,
        }),
      );
      opts.save('Terraform provider');
    }
    // git side only: the Flux controllers, if running, have nothing of theirs to reconcile
    for (const n of fleets) {
      rows.push(...(await fleet({ gitSsh, pulumi }, work, n, log)));
      opts.save(`fleet of ${n}`);
    }
  } finally {
    await tearDownRun(state).catch((e) => log(`teardown: ${(e as Error).message}`));
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowNegative: true,
    allowPositionals: true,
    options: {
      'shard-clusters': { type: 'string', default: '8' },
      keep: { type: 'boolean', default: false },
      runs: { type: 'string', default: '5' },
      'render-runs': { type: 'string', default: '30' },
      fleet: { type: 'string', default: '10,100,200' },
      flux: { type: 'boolean', default: true },
      harness: { type: 'boolean', default: true },
      json: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const fleets = values.fleet.split(',').filter(Boolean).map(Number);
  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  const rows: Row[] = [];

  const shardsOnly = positionals[0] === 'shards';
  const terraformOnlyMode = positionals[0] === 'terraform';
  if (!shardsOnly && !terraformOnlyMode) {
    log('render');
    rows.push(...renderRows(Number(values['render-runs'])));
  }

  const json = values.json ?? path.join(projectRoot(), 'docs', 'bench', 'latest.json');
  const sideBySide = (values.flux && values.harness && !shardsOnly) || terraformOnlyMode;
  const earlier = values.keep ? earlierFigures(json) : undefined;
  /** Writes the figures so far: a run cut short still leaves what it measured, saying so. */
  const save = (after: string, done = false) => {
    const load = `load average (1 min) ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end, on ${os.cpus().length} cores: other work shared the machine, so walls are noisy; counts are not`;
    const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;
    const kept = withKeptRows(earlier, rows, { date: new Date().toISOString().slice(0, 10), command });
    const notes = [
      earlier ? `${command}: ${load}` : load,
      // an earlier run's note on the side by side is this run's again when it ran one
      ...kept.notes.filter((n) => !(sideBySide && n.endsWith(fluxCliNote().replace(/\n/g, ' ')))),
      ...(sideBySide ? [fluxCliNote().replace(/\n/g, ' ')] : []),
      ...(done ? [] : [`partial run: written after ${after}`]),
    ];
    const date = new Date().toISOString().slice(0, 10);
    fs.mkdirSync(path.dirname(json), { recursive: true });
    fs.writeFileSync(
      json,
      `${JSON.stringify({ date, machine: machine(), wallSeconds: Math.round((Date.now() - started) / 1000), rows: kept.rows, notes }, null, 2)}\n`,
    );
  };
  if (shardsOnly) await onHarnessShards(rows, Number(values['shard-clusters']), save);
  else if (terraformOnlyMode) await onHarnessTerraform(rows, runs, save);
  else if (values.harness) await onHarness(rows, { runs, fleets, flux: values.flux, save });
  else log('--no-harness: render figures only');
  save('everything', true);

  console.log(`\nflux-bootstrap benchmark, ${new Date().toISOString().slice(0, 10)}, on ${machine()}\n`);
  console.log(table(rows));
  if (sideBySide) console.log(`\n${fluxCliNote()}`);
  console.log(`\nbenchmark wall time: ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(
    `figures written to ${json}${values.json ? '' : '; `node scripts/bench-tables.js` puts them in the README and docs/performance.md'}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
