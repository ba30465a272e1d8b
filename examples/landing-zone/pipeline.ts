// The pipeline: preview or update every cluster's stack, a few at a time, each failure recorded
// and the others carried on; stacks whose cluster left the inventory are destroyed only when
// asked to.
import { summarizeChanges, type ChangeSummary } from 'flux-bootstrap/pulumi';
import type * as pulumi from '@pulumi/pulumi';
type Stack = pulumi.automation.Stack;
import type { Inventory } from './inventory.ts';
import { trackProgress } from './progress.ts';
import { clusterStack, existingStacks, removedStack, type StackSettings } from './stacks.ts';

export type Command = 'preview' | 'up';

export interface ClusterResult {
  name: string;
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
  action: ClusterResult['action'],
  open: () => Promise<Stack>,
  o: PipelineOptions,
): Promise<ClusterResult> {
  const started = Date.now();
  const p = trackProgress(name, action, o.log);
  const done = (r: Omit<ClusterResult, 'name' | 'action' | 'seconds'>): ClusterResult => ({
    name,
    action,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    ...r,
  });
  try {
    const stack = await open();
    if (action === 'preview') await stack.preview({ onEvent: p.onEvent });
    else if (action === 'up') await stack.up({ onEvent: p.onEvent });
    else {
      await stack.destroy({ onEvent: p.onEvent });
      await stack.workspace.removeStack(name);
    }
    return done({ status: 'ok', summary: summarizeChanges(p.events) });
  } catch (e) {
    return done({ status: 'failed', summary: summarizeChanges(p.events), error: reason(p.errors, e) });
  } finally {
    p.stop();
  }
}

export async function runPipeline(o: PipelineOptions): Promise<ClusterResult[]> {
  const results: ClusterResult[] = o.inventory.broken.map((b) => ({
    name: b.name,
    action: 'none',
    status: 'failed',
    seconds: 0,
    error: b.errors.join(' '),
  }));
  for (const b of o.inventory.broken) o.log(`[${b.name}] not run: ${b.errors.join(' ')}`);
  const listed = new Set([...o.inventory.clusters.map((c) => c.name), ...o.inventory.broken.map((b) => b.name)]);
  const removed = (await existingStacks(o.stacks)).filter((s) => !listed.has(s)).sort();
  const jobs: (() => Promise<ClusterResult>)[] = o.inventory.clusters.map(
    (c) => () => runStack(c.name, o.command, () => clusterStack(c, o.stacks), o),
  );
  for (const name of removed) {
    if (!o.destroyRemoved) {
      o.log(`[${name}] its stack exists but the cluster is not in the inventory: kept (pass --destroy-removed to destroy it)`);
      results.push({ name, action: 'none', status: 'kept', seconds: 0 });
      continue;
    }
    // a preview of the removed cluster is the preview of a program that keeps nothing
    jobs.push(() => runStack(name, o.command === 'preview' ? 'preview' : 'destroy', () => removedStack(name, o.stacks), o));
  }
  results.push(...(await inPool(jobs, o.concurrency, (job) => job())));
  return results;
}
