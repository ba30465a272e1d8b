// `--keep`: a run that measured only some sections (`npm run bench -- shards`, or one without
// fleets) keeps the other sections' rows of the figures it replaces, in their places, and says
// so in a note, so docs/bench/latest.json stays whole without rerunning everything.
import * as fs from 'node:fs';
import type { Row } from './stats';

export interface Figures {
  date?: string;
  rows?: Row[];
  notes?: string[];
}

/** All rows: the earlier run's, with each section this run measured replaced by the new rows
 *  (new sections at the end); and notes naming what was kept. */
export function withKeptRows(old: Figures | undefined, measured: Row[]): { rows: Row[]; notes: string[] } {
  if (!old) return { rows: measured, notes: [] };
  const fresh = new Map<string, Row[]>();
  for (const r of measured) fresh.set(r.section, [...(fresh.get(r.section) ?? []), r]);
  const rows: Row[] = [];
  const kept = new Set<string>();
  for (const r of old.rows ?? []) {
    const replacement = fresh.get(r.section);
    if (!replacement) {
      rows.push(r);
      kept.add(r.section);
    } else if (replacement.length) {
      rows.push(...replacement);
      fresh.set(r.section, []);
    }
  }
  for (const rest of fresh.values()) rows.push(...rest);
  if (!kept.size) return { rows, notes: [] };
  const earlier = (old.notes ?? []).filter((n) => !/^partial run|^rows of |^\(earlier run\)/.test(n));
  return {
    rows,
    notes: [
      `rows of ${kept.size} section(s) kept from the run of ${old.date ?? 'an earlier date'} (--keep): ${[...kept].join('; ')}`,
      ...earlier.map((n) => `(earlier run) ${n}`),
    ],
  };
}

/** The figures a run replaces, read before it writes any. */
export function earlierFigures(file: string): Figures | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Figures) : undefined;
}
