// Which harness services a jest run needs: every selected test file declares its own in its
// first line, `// harness: kube, git-ssh`. Files without that line need nothing, so a
// unit-only run starts nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '@jest/types';

const SELECTED = Symbol.for('flux-bootstrap.harness.selectedTests');

/** Called by the harness test sequencer with the exact list jest is about to run. */
export function recordSelectedTests(paths: string[]): void {
  (globalThis as Record<symbol, unknown>)[SELECTED] = paths;
}

function allTestFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.js')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * The test files of this run. jest.config.js's testSequencer records them just before global
 * setup (after --shard, --onlyChanged, path patterns...). Without it (another config), every
 * compiled test matching the path patterns: a superset, which only costs start-up time.
 */
export function selectedTestFiles(globalConfig: Config.GlobalConfig): string[] {
  const recorded = (globalThis as Record<symbol, unknown>)[SELECTED];
  if (Array.isArray(recorded)) return recorded as string[];
  const files = allTestFiles(path.join(globalConfig.rootDir, 'dist', 'tests'));
  const patterns = globalConfig.testPathPatterns;
  if (!patterns?.isSet()) return files;
  const matcher = patterns.toExecutor({ rootDir: globalConfig.rootDir });
  return files.filter((f) => matcher.isMatch(f));
}

const HEADER = /^\s*\/\/\s*harness:\s*(.*)$/;

/** Services one test file declares. The compiled file keeps the comment a few lines down,
 *  after "use strict" and the exports preamble, so the first 30 lines are searched. */
export function declaredNeeds(file: string): string[] {
  let head: string;
  try { head = fs.readFileSync(file, 'utf8').slice(0, 8_000); } catch { return []; }
  for (const line of head.split('\n').slice(0, 30)) {
    const m = HEADER.exec(line);
    if (m) return m[1].split(/[\s,]+/).filter(Boolean);
  }
  return [];
}

/** Union of the services the files declare, in first-seen order. */
export function needsOf(files: string[]): string[] {
  const needs = new Set<string>();
  for (const f of files) for (const n of declaredNeeds(f)) needs.add(n);
  return [...needs];
}
