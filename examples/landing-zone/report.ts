// What the pipeline prints on stdout: JSON for machines (always for preview, with --json for up)
// and a table for people, one row per cluster; Markdown for a CI job summary.
import type { ClusterResult, Command } from './pipeline.ts';

export interface Report {
  command: Command;
  /** `i/n` when the run was one shard of the inventory */
  shard?: string;
  /** how many shard reports a merged report joins */
  shards?: number;
  ok: number;
  failed: number;
  kept: number;
  clusters: ClusterResult[];
}

/** Inventory entries in inventory order, then stacks of removed clusters by name: the same
 *  order whether one process ran them all or shards did. */
export function canonicalOrder(clusters: ClusterResult[]): ClusterResult[] {
  const key = (c: ClusterResult) => c.position ?? Number.MAX_SAFE_INTEGER;
  return [...clusters].sort((a, b) => key(a) - key(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function report(command: Command, clusters: ClusterResult[], shard?: string): Report {
  const count = (s: ClusterResult['status']) => clusters.filter((c) => c.status === s).length;
  const ordered = canonicalOrder(clusters);
  return { command, ...(shard ? { shard } : {}), ok: count('ok'), failed: count('failed'), kept: count('kept'), clusters: ordered };
}

function changes(c: ClusterResult): string {
  const s = c.summary;
  if (!s) return '-';
  if (!s.changes) return 'no changes';
  const files = s.files.length ? `${s.files.length} file${s.files.length === 1 ? '' : 's'}` : '';
  const o = s.objects;
  const objects = [o.create && `+${o.create}`, o.update && `~${o.update}`, o.delete && `-${o.delete}`].filter(Boolean).join(' ');
  const ops = Object.entries(s.operations)
    .filter(([op]) => op !== 'same')
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  return [ops, files, objects && `objects ${objects}`].filter(Boolean).join('; ');
}

const HEAD = ['CLUSTER', 'ACTION', 'RESULT', 'TIME', 'CHANGES', 'ERROR'];
const cells = (c: ClusterResult) => [c.name, c.action, c.status, `${c.seconds}s`, changes(c), c.error ?? ''];

export function totals(r: Report): string {
  return `${r.ok} succeeded, ${r.failed} failed${r.kept ? `, ${r.kept} kept (not in the inventory)` : ''}`;
}

export function table(r: Report): string {
  const rows = [HEAD, ...r.clusters.map(cells)];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  lines.push(totals(r));
  return lines.join('\n') + '\n';
}

/** A Markdown table, e.g. for $GITHUB_STEP_SUMMARY. */
export function markdown(r: Report): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const title = `### landing zone: ${r.command}${r.shards ? ` (${r.shards} shards)` : r.shard ? ` (shard ${r.shard})` : ''}`;
  const rows = r.clusters.map((c) => `| ${cells(c).map(esc).join(' | ')} |`);
  return [title, '', `**${totals(r)}**`, '', `| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => ' --- |').join('')}`, ...rows, ''].join('\n');
}
