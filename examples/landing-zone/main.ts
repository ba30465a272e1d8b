#!/usr/bin/env node
// landing-zone: bootstrap Flux on every cluster of an inventory, unattended, one Pulumi stack per
// cluster (Automation API, inline program).
//
//   node main.ts preview --inventory clusters.yaml          # JSON on stdout: files to commit, objects to apply
//   node main.ts up --inventory clusters.yaml --concurrency 4
//   node main.ts up --inventory clusters.yaml --shard 2/4 --json shard-2.json   # one CI runner's part
//   node main.ts merge shard-*.json --markdown "$GITHUB_STEP_SUMMARY"            # one table, one exit code
//
// Exit codes: 0 every cluster succeeded; 1 at least one failed, or a shard sent no report (the
// table says which); 2 the command line, the inventory file or a report itself is wrong.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { markdown, table, type Report } from './report.ts';
import { parseShard, shardText, type Shard } from './shard.ts';

const USAGE = [
  'usage: landing-zone <preview|up> --inventory FILE [--shard I/N] [--concurrency N] [--destroy-removed] [--project NAME]',
  '         [--work-dir DIR] [--json FILE] [--lock-wait SECONDS] [--stale-lock-after MINUTES]',
  '       landing-zone merge REPORT.json... [--json FILE] [--markdown FILE]',
].join('\n');

type Parsed = ReturnType<typeof parse>;
function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      inventory: { type: 'string' },
      shard: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      'destroy-removed': { type: 'boolean', default: false },
      project: { type: 'string', default: 'landing-zone' },
      'work-dir': { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      'lock-wait': { type: 'string', default: '600' },
      'stale-lock-after': { type: 'string' },
    },
  });
}

const usage = (why?: string) => {
  process.stderr.write(`${why ? `${why}\n` : ''}${USAGE}\n`);
  return 2;
};

function write(r: Report, values: Parsed['values']): void {
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(r, null, 2) + '\n');
  if (values.markdown) fs.appendFileSync(values.markdown, markdown(r));
}

async function merge(files: string[], values: Parsed['values']): Promise<number> {
  const { mergeReports, MergeInputError } = await import('./merge.ts');
  let merged;
  try {
    merged = mergeReports(files);
  } catch (e) {
    if (!(e instanceof MergeInputError)) throw e;
    process.stderr.write(`landing-zone merge: ${e.message}\n`);
    return 2;
  }
  write(merged.report, values);
  process.stdout.write(table(merged.report));
  for (const m of merged.missing) process.stdout.write(`shard ${m} sent no report: its job failed before writing one\n`);
  return merged.report.failed > 0 || merged.missing.length > 0 ? 1 : 0;
}

/** SIGINT or SIGTERM (a cancelled CI job): running stacks stop as Pulumi's own ^C stops them,
 *  with state saved and locks released; no more start. A second signal ends at once. */
function cancellation(log: (line: string) => void): AbortSignal {
  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => {
      if (abort.signal.aborted) process.exit(130);
      log(`${sig}: interrupting the running stacks (they save their state and release their locks); a second signal ends at once`);
      abort.abort();
    });
  return abort.signal;
}

async function run(command: 'preview' | 'up', values: Parsed['values']): Promise<number> {
  const concurrency = Number(values.concurrency);
  const lockWait = Number(values['lock-wait']);
  const staleAfter = values['stale-lock-after'] === undefined ? undefined : Number(values['stale-lock-after']);
  let shard: Shard | undefined;
  if (values.shard !== undefined && !(shard = parseShard(values.shard))) return usage(`--shard ${values.shard}: give I/N with 1 <= I <= N`);
  if (!values.inventory || !Number.isInteger(concurrency) || concurrency < 1) return usage();
  if (!(lockWait >= 0) || (staleAfter !== undefined && !(staleAfter > 0))) return usage('--lock-wait and --stale-lock-after take numbers');
  // loaded here: `merge` needs neither Pulumi nor the engine
  const { loadInventory } = await import('./inventory.ts');
  const { runPipeline } = await import('./pipeline.ts');
  const { report } = await import('./report.ts');
  let inventory;
  try {
    inventory = loadInventory(values.inventory);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const results = await runPipeline({
    command,
    inventory,
    concurrency,
    shard,
    destroyRemoved: values['destroy-removed'],
    stacks: { project: values.project, workDir: values['work-dir'] },
    lock: { waitMs: lockWait * 1000, staleAfterMs: staleAfter === undefined ? undefined : staleAfter * 60_000 },
    signal: cancellation(log),
    log,
  });
  const r = report(command, results, shard && shardText(shard));
  write(r, values);
  if (command === 'preview') {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    process.stderr.write(table(r));
  } else process.stdout.write(table(r));
  return r.failed > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    return usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (command === 'merge') return merge(positionals.slice(1), values);
  if ((command !== 'preview' && command !== 'up') || positionals.length !== 1) return usage();
  return run(command, values);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`landing-zone: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
