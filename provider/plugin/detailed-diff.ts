// Per-property diffs for Pulumi's detailedDiff: which inputs change and which of them replace
// the resource, and, for SyncManifests, which file changes (`desiredFiles["<path>"]`), judged by
// blob ids exactly as the engine's diff judges them. Pure: no I/O.
//
// The CLI shows every entry's new value from the new inputs (its old one from the old inputs,
// or the old outputs when `inputDiff` is false), so each entry names an input: one naming an
// output the inputs lack (`files`, `objectsHash`) read as that whole output removed.
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

/** `desiredFiles["dir/gotk-components.yaml"]` entries: what the next commit writes or removes.
 *  A file whose rendering changed is an update (old and new blob id); one written again as it
 *  was rendered (deleted or edited in the repository, or moved) is an add; one left behind in an
 *  old directory is a delete. */
function fileDiffs(oldInputs: Props, olds: Props, news: Props): Record<string, DiffKind> {
  const desired = news.desiredFiles as Record<string, string> | undefined;
  if (!desired || hasUnknown(desired) || Object.keys(desired).length === 0) return {};
  const before = (oldInputs.desiredFiles ?? {}) as Record<string, string>;
  const observed = (olds.files ?? {}) as Record<string, string>;
  const c = fileChanges(desired, observed, dirOf(Object.keys(desired)[0]));
  const out: Record<string, DiffKind> = {};
  const key = (p: string) => `desiredFiles[${JSON.stringify(p)}]`;
  for (const p of c.write) out[key(p)] = before[p] !== undefined && before[p] !== desired[p] ? 'update' : 'add';
  for (const p of c.remove) out[key(p)] = 'delete';
  return out;
}

/** The input that changes with the objects: a new value beside the old one, never an output. */
function objectDiffs(oldInputs: Props, olds: Props, news: Props): Record<string, DiffKind> {
  if (news.desiredHash === undefined || hasUnknown(news.desiredHash) || news.desiredHash === olds.objectsHash) return {};
  const out: Record<string, DiffKind> = {};
  const changed = (k: string) => news[k] !== oldInputs[k];
  if (changed('desiredHash')) out.desiredHash = oldInputs.desiredHash === undefined ? 'add' : 'update';
  // what the apply will do, by object (`update 4 (Deployment/flux-system/source-controller, ...)`)
  if (typeof news.plan === 'string' && news.plan !== '' && !hasUnknown(news.plan) && changed('plan'))
    out.plan = typeof oldInputs.plan === 'string' && oldInputs.plan !== '' ? 'update' : 'add';
  // the objects were not applied as rendered (an apply that failed, an import): say so once
  if (Object.keys(out).length === 0) out.desiredHash = 'add';
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
    for (const [k, d] of Object.entries(fileDiffs(oldInputs, olds, news))) out[k] = { kind: d, replace: false, inputDiff: true };
  }
  if (kind.name === 'ControllerInstall') {
    for (const [k, d] of Object.entries(objectDiffs(oldInputs, olds, news))) out[k] = { kind: d, replace: false, inputDiff: true };
  }
  if (kind.name === 'ControllerInstall' && Array.isArray(olds.drift) && olds.drift.length > 0) {
    out.drift = { kind: 'update', replace: false, inputDiff: false };
  }
  for (const r of replaces) if (!out[r]) out[r] = { kind: 'update', replace: true, inputDiff: true };
  return out;
}
