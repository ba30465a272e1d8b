// What the pipeline prints on stdout: JSON for machines (always for preview, with --json for up)
// and a table for people, one row per cluster.
import type { ClusterResult, Command } from './pipeline.ts';

export interface Report {
  command: Command;
  ok: number;
  failed: number;
  kept: number;
  clusters: ClusterResult[];
}

export function report(command: Command, clusters: ClusterResult[]): Report {
  const count = (s: ClusterResult['status']) => clusters.filter((c) => c.status === s).length;
  return { command, ok: count('ok'), failed: count('failed'), kept: count('kept'), clusters };
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

export function table(r: Report): string {
  const rows = [['CLUSTER', 'ACTION', 'RESULT', 'TIME', 'CHANGES', 'ERROR']];
  for (const c of r.clusters) rows.push([c.name, c.action, c.status, `${c.seconds}s`, changes(c), c.error ?? '']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  lines.push(`${r.ok} succeeded, ${r.failed} failed${r.kept ? `, ${r.kept} kept (not in the inventory)` : ''}`);
  return lines.join('\n') + '\n';
}
