// A check that finds the rendering inputs unchanged reuses what the last check computed (blob
// ids, object hashes) instead of validating and rendering again: the inputs in state passed the
// same validation then, and the same options, release manifests and engine render the same
// files. That keeps the schema, the generators and the YAML emitter out of a no-change preview.
//
// "The same release manifests": a directory or archive given as `distribution` is stamped with
// its files' sizes and modification times, so editing it in place is noticed; a release URL
// (with or without a digest) names immutable content. "The same engine": the package version
// and the modification time of its compiled renderer, so an upgrade or a rebuild renders anew.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasUnknown, stableJson } from './common';
import { pickOptions } from './engine-options';

/** Where check stores the stamp in the resource's inputs. */
export const STAMP_FIELD = 'renderStamp';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function statOf(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    return 'absent';
  }
}

function distributionStamp(source: unknown): string {
  if (typeof source !== 'string' || /^https?:\/\//.test(source)) return '';
  try {
    if (!fs.statSync(source).isDirectory()) return statOf(source);
    return fs
      .readdirSync(source)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => `${f}=${statOf(path.join(source, f))}`)
      .join(',');
  } catch {
    return 'absent';
  }
}

let engine: string | undefined;
/** The engine's version and the build of its renderer (exported for a test). */
export function engineStamp(): string {
  if (engine === undefined) {
    // dist/provider/resources -> the package root
    const root = path.resolve(__dirname, '..', '..', '..');
    let version = '';
    try {
      version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
    } catch {
      /* not from a package */
    }
    engine = `${version}@${statOf(path.join(__dirname, '..', 'desired-state.js'))}`;
  }
  return engine;
}

/** Outputs without the stamp: only check reads it, from the old inputs, so storing it again in
 *  the outputs would only grow the state. */
export function withoutStamp<T extends object>(outs: T): T {
  const { [STAMP_FIELD]: _stamp, ...rest } = outs as Record<string, unknown>;
  return rest as T;
}

/** A hash of everything a rendering of these inputs depends on (a hash: options may hold secrets). */
export function renderStamp(inputs: Record<string, unknown>, fields: readonly string[]): string {
  return sha256(
    stableJson([
      engineStamp(),
      pickOptions(inputs, fields),
      inputs.distribution ?? null,
      inputs.distributionDigest ?? null,
      distributionStamp(inputs.distribution),
    ]),
  );
}

/**
 * The old inputs when their check computed `computed` for exactly the rendering `news` asks
 * for now; undefined when anything may differ (or a value is still unknown).
 */
export function unchangedRendering(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
  fields: readonly string[],
  computed: string,
): Record<string, unknown> | undefined {
  if (!olds || olds[computed] === undefined || typeof olds[STAMP_FIELD] !== 'string') return undefined;
  if (hasUnknown(pickOptions(news, fields)) || hasUnknown(news.distribution) || hasUnknown(news.distributionDigest)) return undefined;
  return olds[STAMP_FIELD] === renderStamp(news, fields) ? olds : undefined;
}
