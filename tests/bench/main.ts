// `npm run bench`: where the time goes, on the harness, as one table of medians (min–max).
//   1. render: gotk-components.yaml etc. for the default four and for all seven components,
//      each in a child process of its own (so its peak RSS is its own)
//   2. one cluster: first up, no-change preview (plain and --refresh), no-change up, version
//      bump, destroy, with git sessions and bytes and API requests counted on the servers
//   3. fleets of N clusters in one repository and one stack
//   4. the serialized dynamic provider size in state
//   5. `flux bootstrap git` of the same release beside ours, both reconciled by the harness's
//      Flux controllers
// Options: --runs=N (previews per kind, default 3), --render-runs=N (default 30),
//          --fleet=1,10,50 (sizes; --fleet= skips), --no-flux (skip the side-by-side with
//          `flux bootstrap git`, see flux-cli.ts), --json=<file> (the rows, for tooling)
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
import { fluxCliNote, fluxSideBySide } from './flux-cli';
import type { RenderFigures } from './render';
import { singleCluster } from './single-cluster';
import { figure, show, table, type Row } from './stats';

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

function renderRows(runs: number): Row[] {
  const rows: Row[] = [];
  for (const set of ['default', 'all'] as const) {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'render.js'), `--runs=${runs}`, `--components=${set}`, '--json'], { encoding: 'utf8' });
    const r = JSON.parse(out) as RenderFigures;
    const S = `render ${r.components} components`;
    rows.push({ section: S, measure: 'render (warm), 3 files', ours: `${show(figure(r.times), 'ms')}; first ${r.firstMs.toFixed(1)} ms` });
    rows.push({ section: S, measure: 'output size; peak RSS of the process', ours: `${r.outputKiB.toFixed(0)} KiB; ${r.peakRssMiB.toFixed(0)} MiB` });
  }
  return rows;
}

function machine(): string {
  const cpu = os.cpus();
  const git = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  return `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${git}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    allowNegative: true,
    options: {
      runs: { type: 'string', default: '3' },
      'render-runs': { type: 'string', default: '30' },
      fleet: { type: 'string', default: '1,10,50' },
      flux: { type: 'boolean', default: true },
      json: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const fleets = values.fleet!.split(',').filter(Boolean).map(Number);
  const started = Date.now();
  const rows: Row[] = [];

  log('render');
  rows.push(...renderRows(Number(values['render-runs'])));

  process.env.FLUX_BOOTSTRAP_KUBE_AUDIT = '1'; // the API server counts requests for us
  const state = newRun('cli');
  process.on('exit', () => tearDownRunSync(state.runDir));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { tearDownRunSync(state.runDir); process.exit(130); });
  try {
    log('harness: kube, git-ssh, pulumi (the first run builds them: see README)');
    await startServices(state, ['kube', 'git-ssh', 'pulumi']);
    const kube = state.services.kube.info as KubeInfo;
    const gitSsh = state.services['git-ssh'].info as GitSshInfo;
    const pulumi = state.services.pulumi.info as PulumiInfo;
    enableAccessLog(gitSsh);
    const work = path.join(state.runDir, 'bench');
    rows.push(...await singleCluster({ kube, gitSsh, pulumi }, work, runs, log));
    for (const n of fleets) rows.push(...await fleet({ gitSsh, pulumi }, work, n, log));
    if (values.flux) {
      // only now: running, they would reconcile the installs above and blur their figures
      log('harness: flux-controllers (source-controller, kustomize-controller)');
      await startServices(state, ['flux-controllers']);
      rows.push(...await fluxSideBySide({ kube, gitSsh, pulumi }, work, log));
    }
  } finally {
    await tearDownRun(state).catch((e) => log(`teardown: ${(e as Error).message}`));
  }

  console.log(`\nflux-bootstrap benchmark, ${new Date().toISOString().slice(0, 10)}, on ${machine()}\n`);
  console.log(table(rows));
  if (values.flux) console.log(`\n${fluxCliNote()}`);
  console.log(`\nbenchmark wall time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(rows, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
