// planApply: what applyObjects and prune would do, computed with server-side dry-runs and one
// inventory listing; nothing is written.
import { applyObjects, type ApplyOptions } from './apply';
import type { ObjectResult } from './apply-object';
import type { Connection } from './connection';
import { listInventory } from './inventory';
import { selectPruneCandidates } from './prune';
import { asKubeObjects, type ObjectInput } from './objects';

export interface PlanOptions extends Omit<ApplyOptions, 'dryRun'> {
  /** the install namespace; with it, labelled objects no longer desired are planned for deletion */
  namespace?: string;
}

export interface ApplyPlan {
  create: string[];
  /** objects that would change, with the field paths that would */
  update: { object: string; changes: string[] }[];
  delete: string[];
  unchanged: string[];
  /** per desired object, in input order */
  results: ObjectResult[];
}

export function isEmptyPlan(plan: ApplyPlan): boolean {
  return plan.create.length === 0 && plan.update.length === 0 && plan.delete.length === 0;
}

export async function planApply(conn: Connection, input: readonly ObjectInput[], options: PlanOptions = {}): Promise<ApplyPlan> {
  const objects = asKubeObjects(input);
  const { namespace, ...applyOptions } = options;
  const [results, inventory] = await Promise.all([
    applyObjects(conn, objects, { ...applyOptions, dryRun: true }),
    namespace ? listInventory(conn, namespace, objects, applyOptions.concurrency) : Promise.resolve([]),
  ]);
  const deletions = namespace ? selectPruneCandidates(namespace, objects, inventory).deleted : [];
  return {
    create: results.filter((r) => r.action === 'created').map((r) => r.object),
    update: results.filter((r) => r.action === 'configured').map((r) => ({ object: r.object, changes: r.changes })),
    delete: deletions,
    unchanged: results.filter((r) => r.action === 'unchanged').map((r) => r.object),
    results,
  };
}
