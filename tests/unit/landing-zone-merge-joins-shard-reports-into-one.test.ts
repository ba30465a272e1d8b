// `landing-zone merge` joins the shards' JSON reports into the report one process writes (the
// same rows in the same order), with one exit code: 1 when a cluster failed or a shard sent no
// report, 2 when the reports are of different runs or one shard reported twice.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exampleScript } from '../harness/example-script';
import { projectRoot } from '../harness/flux-reference';

const MAIN = path.join(projectRoot(), 'examples', 'landing-zone', 'main.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-merge-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Row {
  name: string;
  position?: number;
  action: string;
  status: string;
  seconds: number;
  error?: string;
  summary?: unknown;
}
const summary = {
  changes: true,
  operations: { create: 6 },
  files: [{ path: 'a', change: 'create' }],
  objects: { create: 35, update: 0, delete: 0 },
};
const inventory: Row[] = Array.from({ length: 12 }, (_, i) => ({
  name: `c${String(i + 1).padStart(2, '0')}`,
  position: i,
  action: 'up',
  status: 'ok',
  seconds: 9.1,
  summary,
}));
inventory[4] = { name: 'c05', position: 4, action: 'none', status: 'failed', seconds: 0, error: 'clusters[4].kubeconfig: ...' };
const removed: Row[] = [
  { name: 'old-a', action: 'none', status: 'kept', seconds: 0 },
  { name: 'old-b', action: 'none', status: 'kept', seconds: 0 },
];
const single = { command: 'up', ok: 11, failed: 1, kept: 2, clusters: [...inventory, ...removed] };

function merge(files: string[], extra: string[] = []) {
  const r = spawnSync(process.execPath, [MAIN, 'merge', ...files, ...extra], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The single report cut into its shards, as `--shard i/4 --json` would have written them. */
function shardFiles(count: number, drop: number[] = []): string[] {
  const owner = exampleScript<number[]>(
    'landing-zone',
    `import { shardOf } from './shard.ts'; console.log(JSON.stringify(${JSON.stringify(single.clusters.map((c) => c.name))}.map((n) => shardOf(n, ${count}))));`,
  );
  const files: string[] = [];
  for (let i = 1; i <= count; i++) {
    if (drop.includes(i)) continue;
    // each shard lists its own rows its own way: the merge puts them back in order
    const clusters = single.clusters.filter((_, k) => owner[k] === i).reverse();
    const n = (s: string) => clusters.filter((c) => c.status === s).length;
    const file = path.join(tmp, `shard-${count}-${i}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({ command: 'up', shard: `${i}/${count}`, ok: n('ok'), failed: n('failed'), kept: n('kept'), clusters }),
    );
    files.push(file);
  }
  return files;
}

test("the shards' reports merge into the single-process report: same rows, same order, one exit code", () => {
  const out = path.join(tmp, 'merged.json');
  const md = path.join(tmp, 'summary.md');
  fs.writeFileSync(md, '# earlier summary\n');
  const r = merge(shardFiles(4), ['--json', out, '--markdown', md]);
  expect(r.code).toBe(1); // c05 failed
  const merged = JSON.parse(fs.readFileSync(out, 'utf8')) as typeof single & { shards?: number };
  expect(merged.shards).toBe(4);
  delete merged.shards;
  expect(merged).toEqual(single);
  expect(r.stdout).toMatch(/^c01\s+up\s+ok\s+9.1s/m);
  expect(r.stdout).toContain('11 succeeded, 1 failed, 2 kept (not in the inventory)');
  const summaryMd = fs.readFileSync(md, 'utf8');
  expect(summaryMd.startsWith('# earlier summary\n### landing zone: up (4 shards)')).toBe(true);
  expect(summaryMd).toContain('| c05 | none | failed | 0s | - | clusters[4].kubeconfig: ... |');
});

test('all clusters ok: exit code 0; a shard with no report: exit code 1, naming it', () => {
  const okSingle = single.clusters.filter((c) => c.status !== 'failed');
  const file = path.join(tmp, 'ok.json');
  fs.writeFileSync(file, JSON.stringify({ command: 'preview', ok: 13, failed: 0, kept: 0, clusters: okSingle }));
  expect(merge([file]).code).toBe(0); // an unsharded report is shard 1/1
  const r = merge(shardFiles(3, [2]));
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('shard 2/3 sent no report: its job failed before writing one');
});

test('reports of different runs, or one shard twice, are refused with exit code 2', () => {
  const four = shardFiles(4);
  const three = shardFiles(3);
  let r = merge([four[0], three[1]]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/shard 2\/3, .* one of 4: the reports are of different runs/);
  r = merge([four[0], four[0]]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/shard 1\/4 reported twice/);
  r = merge([path.join(tmp, 'absent.json')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/absent\.json: cannot be read as a report/);
  expect(merge([]).code).toBe(2);
});
