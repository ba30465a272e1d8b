// `--keep`: a run that measured only some sections (`npm run bench -- shards`, `-- terraform`,
// or one without fleets) keeps the other sections' rows of the figures it replaces, in their
// places, so docs/bench/latest.json stays whole without rerunning everything. The notes say
// which run measured which sections ("measured on DATE by COMMAND: sections"), and the notes of
// earlier runs stay, marked with their date.
import * as fs from 'node:fs';
import type { Row } from './stats';

export interface Figures {
  date?: string;
  rows?: Row[];
  notes?: string[];
}

const PROVENANCE = /^measured on (\S+) by (.*?): (.*)$/;

/** A provenance note less the sections measured again, or undefined when none is left. */
function without(note: string, fresh: Set<string>): string | undefined {
  const m = PROVENANCE.exec(note);
  if (!m) return note;
  const left = m[3].split('; ').filter((s) => !fresh.has(s));
  return left.length ? `measured on ${m[1]} by ${m[2]}: ${left.join('; ')}` : undefined;
}

/** All rows: the earlier run's, with each section this run measured replaced by the new rows
 *  (new sections at the end); and the notes that say where each section's rows come from. */
export function withKeptRows(
  old: Figures | undefined,
  measured: Row[],
  run: { date: string; command: string },
): { rows: Row[]; notes: string[] } {
  if (!old) return { rows: measured, notes: [] };
  const fresh = new Map<string, Row[]>();
  for (const r of measured) fresh.set(r.section, [...(fresh.get(r.section) ?? []), r]);
  const sections = new Set(fresh.keys());
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
  const oldNotes = (old.notes ?? []).filter((n) => !n.startsWith('partial run'));
  const provenance = oldNotes.filter((n) => PROVENANCE.test(n));
  const earlier = provenance.length
    ? provenance.map((n) => without(n, sections)).filter((n): n is string => n !== undefined)
    : [`measured on ${old.date ?? 'an earlier date'} by npm run bench: ${[...kept].join('; ')}`];
  const others = oldNotes.filter((n) => !PROVENANCE.test(n)).map((n) => (n.startsWith('(run of ') ? n : `(run of ${old.date}) ${n}`));
  return { rows, notes: [`measured on ${run.date} by ${run.command}: ${[...sections].join('; ')}`, ...earlier, ...others] };
}

/** The figures a run replaces, read before it writes any. */
export function earlierFigures(file: string): Figures | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Figures) : undefined;
}
