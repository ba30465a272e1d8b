// `node dist/tests/bench/operator-vs-classic.js [--runs=N] [--json=<file>]`: the first install to
// Ready of examples/pulumi-operator the classic way (flavor classic: the controllers applied by
// us) and through the Flux Operator (flavor operator: the operator applied by us, the
// controllers by it), in the same run on the same harness, each from an empty repository and an
// empty cluster: wall time until up returns (the sync Ready at the pushed commit), git sessions
// and API requests counted on the servers, and the no-change preview. Both install Flux v2.9.3
// with source- and kustomize-controller (the two the harness runs). The rows replace the
// section "operator vs classic" of docs/bench/latest.json (keep-rows.ts), and
// scripts/bench-tables.js rewrites the tables from it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { enableAccessLog, type GitSshInfo } from '../harness/git-ssh';
import type { KubeInfo } from '../harness/kube';
import type { PulumiInfo } from '../harness/pulumi';
import { distributionDir, projectRoot } from '../harness/flux-reference';
import { newRun, startServices, tearDownRun, tearDownRunSync } from '../harness/registry';
import { OperatorFlow, until } from '../e2e/operator/operator-flow';
import { earlierFigures, withKeptRows } from './keep-rows';
import { measure, type Cost } from './observe';
import { figure, show, type Row } from './stats';

const SECTION = 'operator vs classic';
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

interface Measured {
  first: Cost;
  previews: number[];
}

async function flavor(
  services: { kube: KubeInfo; gitSsh: GitSshInfo; pulumi: PulumiInfo },
  which: 'classic' | 'operator',
  runs: number,
): Promise<Measured> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${which}-`));
  const config: Record<string, string> =
    which === 'classic'
      ? { flavor: 'classic', version: 'v2.9.3', distribution: distributionDir('v2.9.3'), waitDeployments: 'false' }
      : { version: '2.9.3' };
  const flow = await OperatorFlow.prepare(services, { workDir: tmp, repo: `bench-${which}/r${process.pid}`, stackName: which, config });
  try {
    const { cost: first } = await measure(services, () => flow.up());
    log(`${which}: first install to Ready ${(first.ms / 1000).toFixed(2)} s`);
    const previews: number[] = [];
    for (let i = 0; i < runs; i++) previews.push((await measure(services, () => flow.preview())).cost.ms);
    return { first, previews };
  } finally {
    await flow.destroy();
    await flow.removeStack();
    await until('flux-system gone', async () => (await flow.rest.request('GET', '/api/v1/namespaces/flux-system')).status === 404, 300_000);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function rows(classic: Measured, operator: Measured): Row[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const both = (f: (m: Measured) => string) => `classic ${f(classic)}; operator ${f(operator)}`;
  return [
    {
      section: SECTION,
      measure: 'first install, until the sync is Ready at the pushed commit: wall',
      ours: both((m) => s(m.first.ms)),
      headline: true,
    },
    { section: SECTION, measure: 'first install: git sessions (pushes)', ours: both((m) => `${m.first.gitSessions} (${m.first.pushes})`) },
    {
      section: SECTION,
      measure: 'first install: API requests (writes)',
      ours: both((m) => `${m.first.apiRequests} (${m.first.apiWrites})`),
    },
    { section: SECTION, measure: 'no-change preview: wall', ours: both((m) => show(figure(m.previews), 's')) },
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'string' } } });
  const runs = Number(values.runs);
  const started = Date.now();
  process.env.FLUX_BOOTSTRAP_KUBE_AUDIT = '1';
  const state = newRun('cli');
  process.on('exit', () => tearDownRunSync(state.runDir));
  let measured: Row[];
  try {
    await startServices(state, ['kube', 'git-ssh', 'pulumi', 'flux-operator']);
    const services = {
      kube: state.services.kube.info as KubeInfo,
      gitSsh: state.services['git-ssh'].info as GitSshInfo,
      pulumi: state.services.pulumi.info as PulumiInfo,
    };
    enableAccessLog(services.gitSsh);
    const classic = await flavor(services, 'classic', runs);
    const operator = await flavor(services, 'operator', runs);
    measured = rows(classic, operator);
  } finally {
    await tearDownRun(state).catch((e) => log(`teardown: ${(e as Error).message}`));
  }
  const file = values.json ?? path.join(projectRoot(), 'docs', 'bench', 'latest.json');
  const old = earlierFigures(file);
  const date = new Date().toISOString().slice(0, 10);
  const kept = withKeptRows(old, measured, { date, command: 'node dist/tests/bench/operator-vs-classic.js' });
  const load = os.loadavg()[0].toFixed(1);
  const notes = [
    ...kept.notes,
    `operator vs classic (${date}): examples/pulumi-operator, Flux v2.9.3 with source- and kustomize-controller, each from an empty repository and cluster, the Flux Operator v0.59.0 run by the harness; load average ${load} at the end (${Math.round((Date.now() - started) / 1000)} s)`,
  ];
  fs.writeFileSync(file, `${JSON.stringify({ ...(old ?? {}), rows: kept.rows, notes }, null, 2)}\n`);
  for (const r of measured) log(`${r.measure}: ${r.ours}`);
  if (!values.json) execFileSync(process.execPath, [path.join(projectRoot(), 'scripts', 'bench-tables.js')], { stdio: 'inherit' });
}

if (require.main === module)
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
