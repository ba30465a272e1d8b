// Figures for the benchmark table: median with min and max over repeated runs.
export interface Figure {
  median: number;
  min: number;
  max: number;
  n: number;
}

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

export interface Row {
  section: string;
  measure: string;
  ours: string;
  flux?: string;
  terraform?: string;
  /** in the README's short table too */
  headline?: boolean;
}

const COLUMNS: [keyof Row, string][] = [
  ['section', 'what'],
  ['measure', 'measure'],
  ['ours', 'flux-bootstrap'],
  ['flux', 'flux bootstrap git'],
  ['terraform', 'Terraform provider'],
];

/** A plain-text table, one row per figure, for a terminal. */
export function table(rows: Row[]): string {
  const cols = COLUMNS.filter(([k], i) => i < 3 || rows.some((r) => r[k]));
  const text = (r: Row, k: keyof Row) => String(r[k] ?? '');
  const w = cols.map(([k, title]) => Math.max(title.length, ...rows.map((r) => text(r, k).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  const sep = `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`;
  return [line(cols.map(([, t]) => t)), sep, ...rows.map((r) => line(cols.map(([k]) => text(r, k))))].join('\n');
}
