// A local proof that a server-side apply would change nothing, to skip the server's dry-run
// (for CRDs the dry-run is most of the cost of a no-change run). It holds when
//   1. every field the desired object sets has the same value in the live object (objects may
//      have extra, e.g. defaulted, fields; lists must be equal as a whole), and
//   2. every field our field manager owns (its Apply entry of managedFields) is still set by the
//      desired object, so the apply removes nothing.
// Anything it cannot prove (other API version, unknown managedFields syntax) returns false and
// the caller falls back to the dry-run.
import { isRecord, type KubeObject } from './objects';

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== null && a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== null && b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Every field set in `desired` has the same value in `live`; lists compare whole. */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (isRecord(desired)) {
    if (!isRecord(live)) return false;
    return Object.entries(desired).every(([k, v]) => v === null || v === undefined || isSubset(v, live[k]));
  }
  return deepEqual(desired, live);
}

/** Every path of a managedFields fieldsV1 set exists in `value`. */
export function coversFields(fields: unknown, value: unknown): boolean {
  if (!isRecord(fields)) return false;
  for (const [key, sub] of Object.entries(fields)) {
    if (key === '.') continue;
    const kind = key.slice(0, 2);
    const rest = key.slice(2);
    let child: unknown;
    try {
      if (kind === 'f:') {
        if (!isRecord(value) || value[rest] === undefined || value[rest] === null) return false;
        child = value[rest];
      } else if (kind === 'k:') {
        const wanted = JSON.parse(rest) as Record<string, unknown>;
        if (!Array.isArray(value)) return false;
        child = value.find((item) => isRecord(item) && Object.entries(wanted).every(([k, v]) => deepEqual(item[k], v)));
        if (child === undefined) return false;
      } else if (kind === 'v:') {
        const wanted = JSON.parse(rest) as unknown;
        if (!Array.isArray(value) || !value.some((item) => deepEqual(item, wanted))) return false;
        child = wanted;
      } else if (kind === 'i:') {
        const index = Number(rest);
        if (!Array.isArray(value) || !Number.isInteger(index) || index >= value.length) return false;
        child = value[index];
      } else {
        return false;
      }
    } catch {
      return false;
    }
    if (isRecord(sub) && Object.keys(sub).length > 0 && !coversFields(sub, child)) return false;
  }
  return true;
}

interface ManagedEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
  fieldsV1?: unknown;
}

export function provablyUnchanged(desired: KubeObject, live: KubeObject, fieldManager: string): boolean {
  if (live.metadata.deletionTimestamp) return false;
  const entries = (Array.isArray(live.metadata.managedFields) ? live.metadata.managedFields : []) as ManagedEntry[];
  const ours = entries.filter((e) => e.manager === fieldManager && e.operation === 'Apply' && !e.subresource);
  if (ours.some((e) => e.apiVersion !== desired.apiVersion || !coversFields(e.fieldsV1, desired))) return false;
  return isSubset(desired, live);
}
