// Per-property diffs for Pulumi's detailedDiff: which inputs change and which of them replace
// the resource, and, for SyncManifests, which file changes (`files["<path>"]`), judged by blob
// ids exactly as the engine's diff judges them. Pure: no I/O.
import { hasUnknown, stableJson } from '../resources/common';
import { fileChanges, dirOf } from '../resources/sync-files';
import type { ResourceKind } from './resources';

export type DiffKind = 'add' | 'delete' | 'update';

export interface PropertyDiff {
  kind: DiffKind;
  replace: boolean;
  /** true when the change is between inputs; false for outputs such as the observed files */
  inputDiff: boolean;
}

export type Props = Record<string, unknown>;

let defaults: Record<string, unknown> | undefined;

/** The options' defaults (schema/): an option left unset equals its default, as the engine
 *  renders it. Loaded on the first change: the schemas (typebox) would slow every plugin start,
 *  and a diff without changes never asks. */
function defaultOf(key: string): unknown {
  if (!defaults) {
    const { InstallProperties, SyncProperties, CommitProperties } = require('../../schema') as typeof import('../../schema');
    defaults = Object.fromEntries(
      Object.entries({ ...InstallProperties, ...SyncProperties, ...CommitProperties })
        .filter(([, s]) => (s as { default?: unknown }).default !== undefined)
        .map(([k, s]) => [k, (s as { default?: unknown }).default]),
    );
  }
  return defaults[key];
}

/** Keys whose values differ between the old and new inputs, derived and output keys left out. */
function changedInputs(kind: ResourceKind, oldInputs: Props, news: Props): Record<string, DiffKind> {
  const skip = new Set([...kind.derived, ...kind.outputs.filter((o) => !(o in news))]);
  const keys = [...new Set([...Object.keys(oldInputs), ...Object.keys(news)])].filter((k) => !skip.has(k)).sort();
  const out: Record<string, DiffKind> = {};
  for (const k of keys) {
    const before = oldInputs[k] ?? defaultOf(k);
    const after = news[k] ?? defaultOf(k);
    if (!hasUnknown(after) && stableJson(before) === stableJson(after)) continue;
    out[k] = before === undefined ? 'add' : after === undefined ? 'delete' : 'update';
  }
  return out;
}

/** `files["dir/gotk-components.yaml"]` entries: what the next commit writes or removes. */
function fileDiffs(olds: Props, news: Props): Record<string, DiffKind> {
  const desired = news.desiredFiles as Record<string, string> | undefined;
  if (!desired || hasUnknown(desired) || Object.keys(desired).length === 0) return {};
  const observed = (olds.files ?? {}) as Record<string, string>;
  const c = fileChanges(desired, observed, dirOf(Object.keys(desired)[0]));
  const out: Record<string, DiffKind> = {};
  for (const p of c.write) out[`files[${JSON.stringify(p)}]`] = observed[p] === undefined ? 'add' : 'update';
  for (const p of c.remove) out[`files[${JSON.stringify(p)}]`] = 'delete';
  return out;
}

/**
 * The detailed diff for a change the engine's diff already decided on (`changes`, `replaces`).
 * No change: empty. Inputs the engine compares but that show no difference here (e.g. an
 * object hash moved because the distribution's content did) appear under their derived key.
 */
export function detailedDiff(
  kind: ResourceKind,
  oldInputs: Props,
  olds: Props,
  news: Props,
  decided: { changes: boolean; replaces: string[] },
): Record<string, PropertyDiff> {
  if (!decided.changes) return {};
  const replaces = new Set(decided.replaces);
  const out: Record<string, PropertyDiff> = {};
  for (const [k, d] of Object.entries(changedInputs(kind, oldInputs, news)))
    out[k] = { kind: d, replace: replaces.has(k), inputDiff: true };
  if (kind.name === 'SyncManifests') {
    for (const [k, d] of Object.entries(fileDiffs(olds, news))) out[k] = { kind: d, replace: false, inputDiff: false };
  }
  if (kind.name === 'ControllerInstall' && news.desiredHash !== olds.objectsHash && !out.version) {
    out.objectsHash = { kind: 'update', replace: false, inputDiff: false };
  }
  if (kind.name === 'ControllerInstall' && Array.isArray(olds.drift) && olds.drift.length > 0) {
    out.drift = { kind: 'update', replace: false, inputDiff: false };
  }
  for (const r of replaces) if (!out[r]) out[r] = { kind: 'update', replace: true, inputDiff: true };
  return out;
}
