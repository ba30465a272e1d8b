// `landing-zone merge`: the reports of the shards of one run (`--shard i/n --json FILE` each)
// joined into the report one process would have written, with one exit code. A shard that
// sent no report (its job died before writing one) makes the merge fail: a missing shard is
// never a green pipeline.
import * as fs from 'node:fs';
import { parseShard, shardText, type Shard } from './shard.ts';
import { canonicalOrder, type Report } from './report.ts';

/** Inputs that cannot be merged: exit code 2. */
export class MergeInputError extends Error {}

export interface Merged {
  report: Report;
  /** shards of the run that sent no report, as `i/n` */
  missing: string[];
}

function read(file: string): Report {
  let r: Report;
  try {
    r = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
  } catch (e) {
    throw new MergeInputError(`${file}: cannot be read as a report (${(e as Error).message.split('\n')[0]})`);
  }
  if (!r || !Array.isArray(r.clusters) || !['preview', 'up'].includes(r.command))
    throw new MergeInputError(`${file}: not a landing-zone report (no command or clusters)`);
  return r;
}

export function mergeReports(files: string[]): Merged {
  if (!files.length) throw new MergeInputError('no reports given: name the JSON file each shard wrote with --json');
  const inputs = files.map((file) => {
    const report = read(file);
    const shard: Shard | undefined = report.shard === undefined ? { index: 1, count: 1 } : parseShard(report.shard);
    if (!shard) throw new MergeInputError(`${file}: shard "${report.shard}" is not i/n`);
    return { file, report, shard };
  });
  const { count } = inputs[0].shard;
  const command = inputs[0].report.command;
  const bySlot = new Map<number, string>();
  for (const { file, report, shard } of inputs) {
    if (shard.count !== count)
      throw new MergeInputError(
        `${file} is shard ${shardText(shard)}, ${inputs[0].file} one of ${count}: the reports are of different runs`,
      );
    if (report.command !== command)
      throw new MergeInputError(`${file} is a ${report.command}, ${inputs[0].file} a ${command}: the reports are of different runs`);
    const other = bySlot.get(shard.index);
    if (other) throw new MergeInputError(`shard ${shardText(shard)} reported twice (${other}, ${file}): give one report per shard`);
    bySlot.set(shard.index, file);
  }
  const seen = new Map<string, string>();
  for (const { file, report } of inputs)
    for (const c of report.clusters) {
      const other = seen.get(c.name);
      if (other && other !== file)
        throw new MergeInputError(`${c.name} is in ${other} and ${file}: shards of one run never share a cluster`);
      seen.set(c.name, file);
    }
  const clusters = canonicalOrder(inputs.flatMap((i) => i.report.clusters));
  const n = (s: string) => clusters.filter((c) => c.status === s).length;
  const missing = Array.from({ length: count }, (_, i) => i + 1)
    .filter((i) => !bySlot.has(i))
    .map((i) => `${i}/${count}`);
  return { report: { command, shards: count, ok: n('ok'), failed: n('failed'), kept: n('kept'), clusters }, missing };
}
