// examples/landing-zone/locks.ts against Pulumi's own lock error (as its file and bucket
// backends print it): a run that finds a stack locked by a live run waits and tries again, and
// fails naming the holder and the remedy once --lock-wait is over; a lock left by a killed
// process of this host, or older than --stale-lock-after, is removed once seen twice.
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { exampleScript } from '../harness/example-script';

const lockError = (holders: { host: string; pid: number; at: string }[]) =>
  [
    'code: 255',
    ' stderr: error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.',
    ...holders.map(
      (h, i) =>
        `  s3://state/.pulumi/locks/organization/landing-zone/c01/${i}abc.json?endpoint=http%3A%2F%2F127.0.0.1%3A9000&s3ForcePathStyle=true: created by runner@${h.host} (pid ${h.pid}) at ${h.at}`,
    ),
  ].join('\n');

interface Outcome {
  result?: string;
  error?: string;
  tries: number;
  cancels: number;
  log: string[];
}

/** Runs withStackLock over an op that fails with `errors` in turn, then returns 'done'. */
function scenario(errors: string[], policy: Record<string, number>): Outcome {
  return exampleScript<Outcome>(
    'landing-zone',
    `import { withStackLock } from './locks.ts';
     const errors = ${JSON.stringify(errors)};
     const o = { tries: 0, cancels: 0, log: [] };
     try {
       o.result = await withStackLock('c01', async () => {
         const e = errors[o.tries++];
         if (e) throw new Error(e);
         return 'done';
       }, async () => { o.cancels++; }, ${JSON.stringify(policy)}, (l) => o.log.push(l));
     } catch (e) { o.error = e.message; }
     console.log(JSON.stringify(o));`,
  );
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
// the Automation API's error carries the CLI's words twice: its stderr, then the error itself
const live = () => {
  const once = lockError([{ host: os.hostname(), pid: process.pid, at: now() }]);
  return `${once}\n${once}`;
};

test('a stack locked by a live run is waited for, then taken; nothing is removed', () => {
  const o = scenario([live(), live()], { waitMs: 30_000, pollMs: 20 });
  expect(o).toMatchObject({ result: 'done', tries: 3, cancels: 0 });
  expect(o.log).toEqual([expect.stringMatching(/^\[c01\] locked by runner@.* \(pid \d+\) since .*: waiting \(up to 30 s in all\)$/)]);
});

test('past --lock-wait the run fails naming the holder and how to go on', () => {
  const o = scenario(Array(50).fill(live()), { waitMs: 100, pollMs: 20 });
  expect(o.cancels).toBe(0);
  expect(o.error).not.toMatch(/\), runner@/); // one holder, named once
  expect(o.error).toMatch(
    new RegExp(
      `^stack c01 is locked by another run: runner@${os.hostname()} \\(pid ${process.pid}\\) since .*; waited 0 s\\. Fix: .*pulumi cancel --stack c01 --yes.*--stale-lock-after`,
    ),
  );
});

test('a lock whose process on this host is gone is removed once it is seen twice, and the run goes on', () => {
  const dead = spawnSync('true').pid;
  const stale = lockError([{ host: os.hostname(), pid: dead, at: now() }]);
  const o = scenario([stale, stale], { waitMs: 30_000, pollMs: 20 });
  expect(o).toMatchObject({ result: 'done', tries: 3, cancels: 1 });
  expect(o.log).toEqual([expect.stringContaining(`removing a stale lock: runner@${os.hostname()} (pid ${dead}) since`)]);
  expect(o.log[0]).toContain('no longer runs');
  // released in between (a run that ended normally): never removed
  const released = scenario([stale], { waitMs: 30_000, pollMs: 20 });
  expect(released).toMatchObject({ result: 'done', tries: 2, cancels: 0 });
});

test("another host's lock is stale only past --stale-lock-after", () => {
  const old = lockError([{ host: 'lost-runner', pid: 1, at: new Date(Date.now() - 2 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z') }]);
  expect(scenario([old, old], { waitMs: 30_000, pollMs: 20, staleAfterMs: 3600_000 })).toMatchObject({ result: 'done', cancels: 1 });
  const waited = scenario(Array(50).fill(old), { waitMs: 100, pollMs: 20 });
  expect(waited.cancels).toBe(0);
  expect(waited.error).toMatch(/locked by another run: runner@lost-runner \(pid 1\)/);
});

test('other errors go through untouched', () => {
  const o = scenario(['error: connection refused'], { waitMs: 30_000, pollMs: 20 });
  expect(o).toMatchObject({ error: 'error: connection refused', tries: 1, cancels: 0 });
});
