// Figures for the benchmark table: median with min and max over repeated runs.
export interface Figure { median: number; min: number; max: number; n: number }

export function figure(samples: number[]): Figure {
  if (samples.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], n: s.length };
}

/** "1.23 s (1.10–1.40, n=5)" or, for one sample, "1.23 s" */
export function show(f: Figure, unit: 's' | 'ms' | 'MiB' | '' = 's', digits = unit === 's' ? 2 : 1): string {
  if (f.n === 0) return '—';
  const v = (x: number) => (unit === 's' ? (x / 1000).toFixed(digits) : x.toFixed(digits));
  const u = unit ? ` ${unit}` : '';
  return f.n === 1 ? `${v(f.median)}${u}` : `${v(f.median)}${u} (${v(f.min)}–${v(f.max)}, n=${f.n})`;
}

export interface Row { section: string; measure: string; ours: string; flux?: string }

/** A plain-text table, one row per figure, for a terminal and for pasting into the README. */
export function table(rows: Row[]): string {
  const head: Row = { section: 'what', measure: 'measure', ours: 'flux-bootstrap', flux: 'flux bootstrap git' };
  const all = [head, ...rows];
  const w = (k: keyof Row) => Math.max(...all.map((r) => (r[k] ?? '').length));
  const line = (r: Row) => `| ${r.section.padEnd(w('section'))} | ${r.measure.padEnd(w('measure'))} | ${r.ours.padEnd(w('ours'))} | ${(r.flux ?? '').padEnd(w('flux'))} |`;
  const sep = `|${'-'.repeat(w('section') + 2)}|${'-'.repeat(w('measure') + 2)}|${'-'.repeat(w('ours') + 2)}|${'-'.repeat(w('flux') + 2)}|`;
  return [line(head), sep, ...rows.map(line)].join('\n');
}
