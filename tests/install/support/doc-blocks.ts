// The install blocks of README.md and docs/*.md, which the install tests run as they are: a
// fenced block right after `<!-- install: <id> -->` is the command text for that id, and one
// right after `<!-- program: <id> -->` the program a user writes. A block may appear in more than
// one page, then with the same text. `$RELEASE` in a block is the directory the user downloaded
// the release into (the tests give dist/release).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../harness/flux-reference';

export interface DocBlock {
  kind: 'install' | 'program';
  id: string;
  lang: string;
  text: string;
  /** page and line, for messages */
  at: string;
}

export function docPages(root = projectRoot()): string[] {
  const docs = path.join(root, 'docs');
  return [
    path.join(root, 'README.md'),
    ...fs
      .readdirSync(docs)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => path.join(docs, f)),
  ];
}

const MARKED = /<!--\s*(install|program):\s*([\w.-]+)\s*-->\s*\n```(\w*)\n([\s\S]*?)\n```/g;

export function allDocBlocks(root = projectRoot()): DocBlock[] {
  const out: DocBlock[] = [];
  for (const page of docPages(root)) {
    const text = fs.readFileSync(page, 'utf8');
    for (const m of text.matchAll(MARKED)) {
      const line = text.slice(0, m.index).split('\n').length;
      out.push({ kind: m[1] as DocBlock['kind'], id: m[2], lang: m[3], text: m[4] + '\n', at: `${path.relative(root, page)}:${line}` });
    }
  }
  return out;
}

/** The text of the block `id`; fails when no page has it, or two pages differ. */
export function docBlock(kind: DocBlock['kind'], id: string): string {
  const found = allDocBlocks().filter((b) => b.kind === kind && b.id === id);
  if (found.length === 0) throw new Error(`no page has a block marked <!-- ${kind}: ${id} -->`);
  const texts = new Set(found.map((b) => b.text));
  if (texts.size > 1) throw new Error(`the blocks <!-- ${kind}: ${id} --> differ: ${found.map((b) => b.at).join(', ')}`);
  return found[0].text;
}
