// Stack locks on a shared backend. Pulumi's file and bucket backends lock a stack for every
// update, destroy and stack creation (a lock file under .pulumi/locks/, checked before and after
// it is written, so of two runs at once at most one gets it), and refuse a second run with
// "the stack is currently locked", naming each holder. Here a run that finds a stack locked waits
// for the holder and tries again; it fails with the holder's name once --lock-wait is over.
//
// A run that was killed (SIGKILL, a lost CI runner) leaves its lock behind. Such a lock is
// removed (`pulumi cancel`, which removes every lock of the stack) only when it is provably
// stale: still there when asked again, and held by a process of this host that no longer
// runs, or older than --stale-lock-after. Removing is safe while the stale lock exists: nobody
// else can take the stack then. It assumes one run per shard breaks locks at a time, as CI
// concurrency groups (one job per shard) ensure; see docs/pipelines.md.
import * as os from 'node:os';

export interface LockHolder {
  user: string;
  host: string;
  pid: number;
  since: Date;
  /** the lock file, as Pulumi prints it */
  url: string;
}

export interface LockPolicy {
  /** how long to wait for a live holder before failing */
  waitMs: number;
  /** a lock older than this is stale whoever holds it; undefined: never by age */
  staleAfterMs?: number;
  /** pause between tries (jittered) */
  pollMs?: number;
}

const HOLDER = /^\s*(\S+): created by (.*)@(\S+) \(pid (\d+)\) at (\S+)\s*$/gm;

/** The holders named by Pulumi's "stack is currently locked" error; undefined for other errors. */
export function lockHolders(message: string): LockHolder[] | undefined {
  if (!/the stack is currently locked/.test(message)) return undefined;
  // the CLI's error can reach us twice in one message (its stderr and the error itself)
  const byFile = new Map<string, LockHolder>();
  for (const m of message.matchAll(HOLDER))
    byFile.set(m[1], { url: m[1], user: m[2], host: m[3], pid: Number(m[4]), since: new Date(m[5]) });
  return [...byFile.values()];
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the lock is stale, or undefined while its holder may still run. */
export function staleReason(
  h: LockHolder,
  policy: LockPolicy,
  now = Date.now(),
  host = os.hostname(),
  alive = running,
): string | undefined {
  if (h.host === host && !alive(h.pid)) return `its process (pid ${h.pid} on this host) no longer runs`;
  const age = now - h.since.getTime();
  if (policy.staleAfterMs !== undefined && age > policy.staleAfterMs)
    return `it is ${Math.round(age / 60_000)} min old, more than --stale-lock-after ${Math.round(policy.staleAfterMs / 60_000)}`;
  return undefined;
}

export const describeHolder = (h: LockHolder) => `${h.user}@${h.host} (pid ${h.pid}) since ${h.since.toISOString()}`;

/** The error a run ends with when the holder outlasted --lock-wait. */
export class StackLockedError extends Error {
  constructor(stack: string, holders: LockHolder[], waitedMs: number) {
    super(
      `stack ${stack} is locked by another run: ${holders.map(describeHolder).join(', ') || 'an unnamed holder'}; waited ${Math.round(waitedMs / 1000)} s. ` +
        `Fix: if that run still goes on, let it finish, then run this shard again; if it died (a cancelled or lost CI job), ` +
        `remove the lock with \`pulumi cancel --stack ${stack} --yes\` (same backend environment) or pass --stale-lock-after, and run again`,
    );
    this.name = 'StackLockedError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `op` (a Pulumi command on one stack), waiting while another run holds the stack's lock and
 * removing a stale one through `cancel`. Other errors are rethrown as they are.
 */
export async function withStackLock<T>(
  stack: string,
  op: () => Promise<T>,
  cancel: () => Promise<void>,
  policy: LockPolicy,
  log: (line: string) => void,
): Promise<T> {
  const started = Date.now();
  const said = new Set<string>();
  let suspect: string | undefined; // the lock files seen stale at the last try
  let removed = 0;
  for (;;) {
    let holders: LockHolder[] | undefined;
    try {
      return await op();
    } catch (e) {
      holders = lockHolders((e as Error)?.message ?? String(e));
      if (!holders) throw e;
    }
    const files = holders
      .map((h) => h.url)
      .sort()
      .join(' ');
    const reasons = holders.map((h) => staleReason(h, policy));
    if (holders.length && reasons.every(Boolean)) {
      // a lock is released before its process ends: seen twice with its holder gone, it is left over
      if (suspect === files && removed < 3) {
        removed++;
        log(`[${stack}] removing a stale lock: ${holders.map((h, i) => `${describeHolder(h)}: ${reasons[i]}`).join('; ')}`);
        await cancel();
        suspect = undefined;
        continue;
      }
      if (suspect !== files) {
        suspect = files;
        continue;
      }
    }
    suspect = undefined;
    const waited = Date.now() - started;
    if (waited >= policy.waitMs) throw new StackLockedError(stack, holders, waited);
    if (!said.has(files)) {
      said.add(files);
      log(`[${stack}] locked by ${holders.map(describeHolder).join(', ')}: waiting (up to ${Math.round(policy.waitMs / 1000)} s in all)`);
    }
    const poll = policy.pollMs ?? 2000;
    await sleep(poll / 2 + Math.random() * poll);
  }
}
