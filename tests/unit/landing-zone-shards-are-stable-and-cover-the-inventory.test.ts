// examples/landing-zone --shard i/n: every cluster (and every removed cluster's stack) belongs to
// exactly one shard, chosen from its name alone, so a cluster keeps its shard when others are
// added or removed; a runner more moves only the clusters the new shard takes.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { exampleScript } from '../harness/example-script';
import { projectRoot } from '../harness/flux-reference';

const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `prod-${from + i}`);
const shardsOf = (list: string[], count: number) =>
  exampleScript<number[]>(
    'landing-zone',
    `import { shardOf } from './shard.ts'; console.log(JSON.stringify(${JSON.stringify(list)}.map((n) => shardOf(n, ${count}))));`,
  );

test('each of 1,000 clusters is in exactly one of 4 shards, about a quarter in each', () => {
  const list = names(0, 1000);
  const picked = exampleScript<boolean[][]>(
    'landing-zone',
    `import { inShard } from './shard.ts';
     const list = ${JSON.stringify(list)};
     console.log(JSON.stringify([1, 2, 3, 4].map((index) => list.map((n) => inShard(n, { index, count: 4 })))));`,
  );
  list.forEach((_, i) => expect(picked.filter((shard) => shard[i]).length).toBe(1));
  for (const shard of picked) {
    const size = shard.filter(Boolean).length;
    expect(size).toBeGreaterThan(200);
    expect(size).toBeLessThan(300);
  }
});

test('a cluster keeps its shard when others are added to or removed from the inventory', () => {
  const before = names(0, 300);
  const after = [...names(100, 300), ...names(1000, 1200)]; // 100 removed, 200 added
  const a = shardsOf(before, 4);
  const b = shardsOf(after, 4);
  names(100, 300).forEach((n, i) => expect(b[i]).toBe(a[before.indexOf(n)]));
});

test('going from 4 to 5 runners moves only the clusters shard 5 takes, about a fifth', () => {
  const list = names(0, 1000);
  const four = shardsOf(list, 4);
  const five = shardsOf(list, 5);
  const moved = list.filter((_, i) => four[i] !== five[i]);
  expect(moved.every((n) => five[list.indexOf(n)] === 5)).toBe(true);
  expect(moved.length).toBeGreaterThan(150);
  expect(moved.length).toBeLessThan(250);
});

test('--shard must be I/N with 1 <= I <= N', () => {
  const parsed = exampleScript<unknown[]>(
    'landing-zone',
    `import { parseShard } from './shard.ts';
     console.log(JSON.stringify(['1/4', '4/4', '0/4', '5/4', 'a/b', '2', ' 3/8 '].map((t) => parseShard(t) ?? null)));`,
  );
  expect(parsed).toEqual([{ index: 1, count: 4 }, { index: 4, count: 4 }, null, null, null, null, { index: 3, count: 8 }]);
  const main = path.join(projectRoot(), 'examples', 'landing-zone', 'main.ts');
  const r = spawnSync(process.execPath, [main, 'up', '--inventory', 'x.yaml', '--shard', '5/4'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--shard 5/4: give I/N with 1 <= I <= N');
});
