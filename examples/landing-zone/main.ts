#!/usr/bin/env node
// landing-zone: bootstrap Flux on every cluster of an inventory, unattended, one Pulumi stack per
// cluster (Automation API, inline program).
//
//   node main.ts preview --inventory clusters.yaml          # JSON on stdout: files to commit, objects to apply
//   node main.ts up --inventory clusters.yaml --concurrency 4
//
// Exit codes: 0 every cluster succeeded; 1 at least one failed (the table says which);
// 2 the command line or the inventory file itself is wrong (nothing ran).
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadInventory } from './inventory.ts';
import { runPipeline, type Command } from './pipeline.ts';
import { report, table } from './report.ts';

const USAGE =
  'usage: landing-zone <preview|up> --inventory FILE [--concurrency N] [--destroy-removed] [--project NAME] [--work-dir DIR] [--json FILE]';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        inventory: { type: 'string' },
        concurrency: { type: 'string', default: '4' },
        'destroy-removed': { type: 'boolean', default: false },
        project: { type: 'string', default: 'landing-zone' },
        'work-dir': { type: 'string' },
        json: { type: 'string' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0] as Command;
  const concurrency = Number(values.concurrency);
  if (
    positionals.length !== 1 ||
    !['preview', 'up'].includes(command) ||
    !values.inventory ||
    !Number.isInteger(concurrency) ||
    concurrency < 1
  ) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
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
    destroyRemoved: values['destroy-removed'],
    stacks: { project: values.project, workDir: values['work-dir'] },
    log,
  });
  const r = report(command, results);
  const json = JSON.stringify(r, null, 2) + '\n';
  if (values.json) fs.writeFileSync(values.json, json);
  if (command === 'preview') {
    process.stdout.write(json);
    process.stderr.write(table(r));
  } else process.stdout.write(table(r));
  return r.failed > 0 ? 1 : 0;
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
