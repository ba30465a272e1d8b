// The install blocks of README.md and docs/*.md are the very text the install tests run
// (tests/install, docBlock): every shell block that installs something is marked with the id a
// test runs it by, every marked block is run by a test, and a block given in two pages says the
// same in both. So the docs cannot drift from what works.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allDocBlocks, docPages } from '../install/support/doc-blocks';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const INSTALLS = /(^|[\s;&|(])(npm (i|install|ci)\b|pip3? install|pulumi plugin install|pulumi package add|go get|go mod edit)/m;

/** The install tests' sources: the ids they hand to docBlock. */
function idsRun(): Set<string> {
  const dir = path.join(ROOT, 'tests', 'install');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
  const ids = new Set<string>();
  for (const f of files) {
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of src.matchAll(/docBlock\('(install|program)', '([\w.-]+)'\)|(install|program): '([\w.-]+)'/g))
      ids.add(`${m[1] ?? m[3]}:${m[2] ?? m[4]}`);
    // ids in a describe.each table: { install: 'x', programs: { 'file': 'id' } }
    for (const m of src.matchAll(/programs: \{([^}]*)\}/g)) for (const p of m[1].matchAll(/: '([\w.-]+)'/g)) ids.add(`program:${p[1]}`);
  }
  return ids;
}

test('every shell block that installs something is marked for an install test', () => {
  const unmarked: string[] = [];
  for (const page of docPages(ROOT)) {
    const text = fs.readFileSync(page, 'utf8');
    for (const m of text.matchAll(/(<!--[^>]*-->\s*\n)?```(sh|bash|shell)\n([\s\S]*?)\n```/g)) {
      if (!INSTALLS.test(m[3]) || /<!--\s*install:/.test(m[1] ?? '')) continue;
      unmarked.push(`${path.relative(ROOT, page)}:${text.slice(0, m.index).split('\n').length}`);
    }
  }
  expect(unmarked).toEqual([]);
});

test('every marked block is run by an install test, and its pages agree', () => {
  const blocks = allDocBlocks(ROOT);
  expect(blocks.length).toBeGreaterThan(5);
  const run = idsRun();
  expect(blocks.filter((b) => !run.has(`${b.kind}:${b.id}`)).map((b) => `${b.at} ${b.kind}: ${b.id}`)).toEqual([]);
  const byId = new Map<string, Set<string>>();
  for (const b of blocks) byId.set(`${b.kind}:${b.id}`, (byId.get(`${b.kind}:${b.id}`) ?? new Set()).add(b.text));
  expect([...byId].filter(([, texts]) => texts.size > 1).map(([id]) => id)).toEqual([]);
});

test('the blocks name the version the release carries', () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const stale = allDocBlocks(ROOT).filter(
    (b) => /\d+\.\d+\.\d+/.test(b.text) && /flux-bootstrap/.test(b.text) && /RELEASE|src\/flux/.test(b.text) && !b.text.includes(version),
  );
  expect(stale.map((b) => b.at)).toEqual([]);
});
