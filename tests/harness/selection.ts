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
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
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
  // jest joins the command line's path patterns into one case-insensitive regular expression
  const pattern = globalConfig.testPathPattern;
  if (!pattern) return files;
  const matcher = new RegExp(pattern, 'i');
  return files.filter((f) => matcher.test(f));
}

const HEADER = /^\s*\/\/\s*harness:\s*(.*)$/;

function headerIn(lines: string[]): string[] | null {
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (m) return m[1].split(/[\s,]+/).filter(Boolean);
  }
  return null;
}

/** The TypeScript source of a compiled test, from its source map (or by path), if present. */
function sourceOf(compiled: string): string | null {
  try {
    const map = JSON.parse(fs.readFileSync(`${compiled}.map`, 'utf8')) as { sources?: string[]; sourceRoot?: string };
    const src = map.sources?.[0];
    if (src) {
      const p = path.resolve(path.dirname(compiled), map.sourceRoot ?? '', src);
      if (fs.existsSync(p)) return p;
    }
  } catch {
    /* no map */
  }
  return null;
}

/**
 * Services one test file declares. Read from the TypeScript source's leading comment lines when
 * the source map leads to it; otherwise from the compiled file, where tsc moves the comment below
 * "use strict" and its import helpers, so its first 200 lines are searched.
 */
export function declaredNeeds(file: string): string[] {
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8').slice(0, 64_000).split('\n');
    } catch {
      return null;
    }
  };
  const source = file.endsWith('.ts') ? file : sourceOf(file);
  const srcLines = source ? read(source) : null;
  if (srcLines) {
    const leading: string[] = [];
    for (const l of srcLines) {
      if (l.trim() === '' || l.trim().startsWith('//')) leading.push(l);
      else break;
    }
    return headerIn(leading) ?? [];
  }
  return headerIn((read(file) ?? []).slice(0, 200)) ?? [];
}

/** Union of the services the files declare, in first-seen order. */
export function needsOf(files: string[]): string[] {
  const needs = new Set<string>();
  for (const f of files) for (const n of declaredNeeds(f)) needs.add(n);
  return [...needs];
}
