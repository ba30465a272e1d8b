// Which fields an apply would change: the live object against the server's dry-run result,
// both stripped of what the server alone writes. Field paths only, never values, so a diff of a
// Secret prints nothing secret.
import { isRecord, type KubeObject } from './objects';

/** metadata the server owns; comparing them would report every object as changed */
export const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid', 'selfLink'] as const;

/** A copy without status and server-owned metadata. */
export function comparable(obj: KubeObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = obj;
  const meta: Record<string, unknown> = { ...(metadata ?? {}) };
  for (const key of SERVER_METADATA) delete meta[key];
  return { ...rest, metadata: meta };
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function child(path: string, key: string): string {
  if (PLAIN_KEY.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Lists of named items (containers, ports, env...) are matched by name, so reordering or
 *  inserting one reports that item and not every index after it. */
function namesOf(list: unknown[]): string[] | undefined {
  const names: string[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item.name !== 'string') return undefined;
    names.push(item.name);
  }
  return new Set(names).size === names.length ? names : undefined;
}

function walk(before: unknown, after: unknown, path: string, out: string[]): void {
  if (before === after) return;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], child(path, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const left = namesOf(before);
    const right = namesOf(after);
    if (left && right) {
      const byName = (list: unknown[]) => new Map(list.map((item) => [(item as { name: string }).name, item]));
      const l = byName(before);
      const r = byName(after);
      const order = [...new Set([...left, ...right])];
      for (const name of order) walk(l.get(name), r.get(name), `${path}[name=${name}]`, out);
      if (order.every((n) => l.has(n) && r.has(n)) && left.join('\u0000') !== right.join('\u0000')) {
        out.push(`${path} (order)`);
      }
      return;
    }
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) walk(before[i], after[i], `${path}[${i}]`, out);
    return;
  }
  // Scalars, or a change of type: report here. Missing and null both mean "not set".
  if ((before === undefined || before === null) && (after === undefined || after === null)) return;
  out.push(path);
}

/** Paths that differ between two objects, e.g. `spec.template.spec.containers[name=manager].image`. */
export function diffPaths(before: unknown, after: unknown): string[] {
  const out: string[] = [];
  walk(before, after, '', out);
  return out;
}

/** Paths an apply would change on `live`, judged from the server-side dry-run result. */
export function objectChanges(live: KubeObject, dryRun: KubeObject): string[] {
  return diffPaths(comparable(live), comparable(dryRun));
}
