// The pipeline: preview or update every cluster's stack (of one shard, with --shard), a few at a
// time, each failure recorded and the others carried on; stacks whose cluster left the
// inventory are destroyed only when asked to. A stack another run holds is waited for
// (locks.ts); a cancelled pipeline lets the running stacks stop cleanly and starts no more.
import { summarizeChanges, type ChangeSummary } from 'flux-bootstrap/pulumi';
import type * as pulumi from '@pulumi/pulumi';
type Stack = pulumi.automation.Stack;
import type { Inventory } from './inventory.ts';
import { withStackLock, type LockPolicy } from './locks.ts';
import { clearFinishedPendingCreates, PENDING_WARNING } from './pending.ts';
import { trackProgress } from './progress.ts';
import { inShard, type Shard } from './shard.ts';
import { clusterStack, existingStacks, removedStack, type StackSettings } from './stacks.ts';

export type Command = 'preview' | 'up';

export interface ClusterResult {
  name: string;
  /** index of the entry in the inventory's clusters; none for a removed cluster's stack */
  position?: number;
  /** what ran: a preview or update of the Bootstrap, or the destroy of a removed cluster */
  action: 'preview' | 'up' | 'destroy' | 'none';
  /** `kept`: the cluster left the inventory and --destroy-removed was not given */
  status: 'ok' | 'failed' | 'kept';
  seconds: number;
  /** files to commit and objects to apply (preview), or committed and applied (up) */
  summary?: ChangeSummary;
  error?: string;
}

export interface PipelineOptions {
  command: Command;
  inventory: Inventory;
  concurrency: number;
  destroyRemoved: boolean;
  stacks: StackSettings;
  /** run only the clusters (and removed stacks) of this shard */
  shard?: Shard;
  lock: LockPolicy;
  /** aborted: running stacks are interrupted cleanly (Pulumi's own cancel), no more start */
  signal?: AbortSignal;
  /** one progress line (stderr) */
  log: (line: string) => void;
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the input order in the result. */
export async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** The first lines of what went wrong, without the CLI's framing. */
function reason(errors: string[], e: unknown): string {
  if (errors.length) return errors.slice(0, 2).join('; ');
  const text = (e as Error)?.message ?? String(e);
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error/i.test(l) && !/^code:|^stdout:|^stderr:|^err\?:/.test(l));
  return (line ?? text.split('\n')[0]).slice(0, 500);
}

async function runStack(
  name: string,
  position: number | undefined,
  action: ClusterResult['action'],
  open: () => Promise<Stack>,
  o: PipelineOptions,
): Promise<ClusterResult> {
  const started = Date.now();
  const p = trackProgress(name, action, o.log);
  const done = (r: Omit<ClusterResult, 'name' | 'action' | 'seconds'>): ClusterResult => ({
    name,
    ...(position === undefined ? {} : { position }),
    action,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    ...r,
  });
  let stack: Stack | undefined;
  // creating a stack takes its lock too
  const locked = <T>(op: () => Promise<T>) => withStackLock(name, op, () => (stack ? stack.cancel() : Promise.resolve()), o.lock, o.log);
  const signal = o.signal;
  try {
    stack = await locked(open);
    const s = stack;
    if (action === 'preview') await s.preview({ onEvent: p.onEvent, signal });
    else if (action === 'up') {
      await locked(() => s.up({ onEvent: p.onEvent, signal }));
      if (p.events.some((e) => e.diagnosticEvent?.severity === 'warning' && PENDING_WARNING.test(e.diagnosticEvent.message))) {
        const cleared = await locked(() => clearFinishedPendingCreates(s));
        if (cleared.length) o.log(`[${name}] removed ${cleared.length} pending create(s) left by a killed run, finished by this up`);
      }
    } else {
      await locked(() => s.destroy({ onEvent: p.onEvent, signal }));
      await locked(() => s.workspace.removeStack(name));
    }
    return done({ status: 'ok', summary: summarizeChanges(p.events) });
  } catch (e) {
    return done({ status: 'failed', summary: summarizeChanges(p.events), error: reason(p.errors, e) });
  } finally {
    p.stop();
  }
}

export async function runPipeline(o: PipelineOptions): Promise<ClusterResult[]> {
  const mine = (name: string) => inShard(name, o.shard);
  const broken = o.inventory.broken.filter((b) => mine(b.name));
  const results: ClusterResult[] = broken.map((b) => ({
    name: b.name,
    position: b.position,
    action: 'none',
    status: 'failed',
    seconds: 0,
    error: b.errors.join(' '),
  }));
  for (const b of broken) o.log(`[${b.name}] not run: ${b.errors.join(' ')}`);
  const listed = new Set([...o.inventory.clusters.map((c) => c.name), ...o.inventory.broken.map((b) => b.name)]);
  const removed = (await existingStacks(o.stacks)).filter((s) => !listed.has(s) && mine(s)).sort();
  const jobs: { name: string; position?: number; action: ClusterResult['action']; run: () => Promise<ClusterResult> }[] =
    o.inventory.clusters
      .filter((c) => mine(c.name))
      .map((c) => ({
        name: c.name,
        position: c.position,
        action: o.command,
        run: () => runStack(c.name, c.position, o.command, () => clusterStack(c, o.stacks), o),
      }));
  for (const name of removed) {
    if (!o.destroyRemoved) {
      o.log(`[${name}] its stack exists but the cluster is not in the inventory: kept (pass --destroy-removed to destroy it)`);
      results.push({ name, action: 'none', status: 'kept', seconds: 0 });
      continue;
    }
    // a preview of the removed cluster is the preview of a program that keeps nothing
    const action = o.command === 'preview' ? 'preview' : 'destroy';
    jobs.push({ name, action, run: () => runStack(name, undefined, action, () => removedStack(name, o.stacks), o) });
  }
  const cancelled = (j: (typeof jobs)[number]): ClusterResult => ({
    name: j.name,
    ...(j.position === undefined ? {} : { position: j.position }),
    action: j.action,
    status: 'failed',
    seconds: 0,
    error: 'not run: the pipeline was cancelled before this cluster started',
  });
  results.push(...(await inPool(jobs, o.concurrency, (job) => (o.signal?.aborted ? Promise.resolve(cancelled(job)) : job.run()))));
  return results;
}
