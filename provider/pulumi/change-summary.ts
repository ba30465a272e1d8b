// What a `pulumi preview` (or `up`) of flux-bootstrap resources would commit and apply, read from
// the engine events the Automation API streams (`onEvent`), whether the dynamic resources or the
// provider plugin serve them. SyncManifests and ControllerInstall compute their `plan` input in
// `check`, so a preview carries it without touching the repository or the cluster; this turns
// those plans into data a pipeline can print as JSON.
import type { EngineEvent, OpType } from '@pulumi/pulumi/automation';
import { tokenOf } from '../plugin/resources';
import { MODULE } from './options';

/** One file of the next commit: `create`, `delete`, `move` or changed line counts (`+12 -12`). */
export interface FileChange {
  path: string;
  change: string;
}

/** The cluster objects the next apply writes. */
export interface ObjectChanges {
  create: number;
  update: number;
  delete: number;
  /** the first objects named by the plan (`Kind/namespace/name`), at most six per verb */
  named: string[];
  /** ControllerInstall's plan as it reads, e.g. `apply 45 objects` or `update 3 (...)` */
  plan: string;
}

export interface ChangeSummary {
  /** true when any resource of the stack would be created, updated, replaced or deleted */
  changes: boolean;
  /** resources by operation, every resource of the stack (not only flux-bootstrap's) */
  operations: Partial<Record<OpType, number>>;
  /** files to commit, over all SyncManifests of the stack */
  files: FileChange[];
  /** objects to apply, over all ControllerInstalls of the stack */
  objects: ObjectChanges;
}

/** A kind's type tokens in both front ends: the dynamic resource's and the plugin's. */
const typesOf = (kind: string) => [`pulumi-nodejs:dynamic/${MODULE}:${kind}`, tokenOf(kind)];
const SYNC_TYPES = typesOf('SyncManifests');
const INSTALL_TYPES = typesOf('ControllerInstall');
/** the value Pulumi puts where a preview does not know an input yet */
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const NO_CHANGE: OpType[] = ['same', 'read', 'refresh', 'discard', 'remove-pending-replace'];
const PLAN_VERB = /^(create|update|delete) (\d+)(?: \((.*)\))?$/;

/** `create a/b.yaml`, `a/b.yaml +3 -3`, `move a -> b`, `create a/kustomization.yaml (if absent)` */
export function parseFilePlan(plan: string): FileChange[] {
  return plan
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const verb = /^(create|delete|move) (.+)$/.exec(line);
      if (verb) return { path: verb[2], change: verb[1] };
      const counts = /^(.+) (\+\d+ -\d+)$/.exec(line);
      return counts ? { path: counts[1], change: counts[2] } : { path: line, change: 'change' };
    });
}

/** `apply 45 objects` or `create 2 (A, B); update 1 (C)` */
export function parseObjectPlan(plan: string): ObjectChanges {
  const out: ObjectChanges = { create: 0, update: 0, delete: 0, named: [], plan };
  const apply = /^apply (\d+) objects$/.exec(plan);
  if (apply) {
    out.create = Number(apply[1]);
    return out;
  }
  for (const part of plan.split('; ').filter(Boolean)) {
    const m = PLAN_VERB.exec(part);
    if (!m) continue;
    out[m[1] as 'create' | 'update' | 'delete'] += Number(m[2]);
    if (m[3])
      out.named.push(
        ...m[3]
          .split(', ')
          .filter((n) => n !== '...')
          .map((n) => `${m[1]} ${n}`),
      );
  }
  return out;
}

function planOf(inputs: Record<string, unknown> | undefined): string | undefined {
  const p = inputs?.plan;
  return typeof p === 'string' && p !== UNKNOWN ? p : undefined;
}

/**
 * The summary of one stack's preview or update, from all of its engine events. A resource being
 * deleted (removed from the program, or the stack destroyed) counts its files and objects as
 * deleted; its plan is not recomputed for that.
 */
export function summarizeChanges(events: readonly EngineEvent[]): ChangeSummary {
  const summary: ChangeSummary = {
    changes: false,
    operations: {},
    files: [],
    objects: { create: 0, update: 0, delete: 0, named: [], plan: '' },
  };
  const plans: string[] = [];
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (!m || m.type === 'pulumi:pulumi:Stack' || m.type.startsWith('pulumi:providers:')) continue;
    summary.operations[m.op] = (summary.operations[m.op] ?? 0) + 1;
    if (NO_CHANGE.includes(m.op)) continue;
    summary.changes = true;
    const deleting = m.op === 'delete' || m.op === 'discard';
    if (SYNC_TYPES.includes(m.type)) {
      if (deleting) {
        const dir: unknown = m.old?.outputs?.directory;
        summary.files.push({ path: typeof dir === 'string' ? dir : m.urn, change: 'delete' });
      } else summary.files.push(...parseFilePlan(planOf(m.new?.inputs) ?? ''));
    } else if (INSTALL_TYPES.includes(m.type)) {
      if (deleting) {
        const inventory: unknown = m.old?.outputs?.inventory;
        const n = Array.isArray(inventory) ? inventory.length : 0;
        summary.objects.delete += n;
        plans.push(`delete ${n} objects`);
        continue;
      }
      const plan = planOf(m.new?.inputs);
      if (!plan) continue;
      const o = parseObjectPlan(plan);
      for (const k of ['create', 'update', 'delete'] as const) summary.objects[k] += o[k];
      summary.objects.named.push(...o.named);
      plans.push(plan);
    }
  }
  summary.objects.plan = plans.join('; ');
  return summary;
}
