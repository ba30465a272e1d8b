// The engine options (install, sync and commit fields of the schema) as flat resource inputs:
// picked out of a property bag, validated while skipping preview unknowns, and rendered into the
// desired state with the distribution they name. The schema, the generators and the
// distribution loader are loaded on first use: a check that finds nothing changed
// (check-memo.ts) needs none of them.
import type { DesiredState } from '../desired-state';
import { DistributionError, InputError } from '../errors';
import { hasUnknown, rootProperty } from './common';
import { FIELD_NAMES } from './field-names';

const schema = () => require('../../schema/validate') as typeof import('../../schema/validate');

export const INSTALL_FIELDS: readonly string[] = FIELD_NAMES.install;
export const SYNC_FIELDS: readonly string[] = FIELD_NAMES.sync;
export const COMMIT_FIELDS: readonly string[] = FIELD_NAMES.commit;
export const ENGINE_FIELDS = [...INSTALL_FIELDS, ...SYNC_FIELDS, ...COMMIT_FIELDS];

/** Where the release manifests come from: a directory, a manifests.tar.gz or a release URL. */
export interface DistributionInputs {
  distribution?: string;
  /** "sha256:<hex>" the downloaded archive must have */
  distributionDigest?: string;
}

/** The given engine options, without fields outside `fields` or left undefined. */
export function pickOptions(props: Record<string, unknown>, fields: readonly string[] = ENGINE_FIELDS): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (props[f] !== undefined) out[f] = props[f];
  return out;
}

/** Names of the given options that are (or contain) preview unknowns. */
export function unknownFields(options: Record<string, unknown>): string[] {
  return Object.keys(options).filter((k) => hasUnknown(options[k]));
}

/**
 * Schema errors of the known options. Unknown fields are left out of the check, and so are the
 * errors about them (a required field that is unknown is not missing).
 */
export function checkOptions(options: Record<string, unknown>): InputError[] {
  const unknown = new Set(unknownFields(options));
  const known = Object.fromEntries(Object.entries(options).filter(([k]) => !unknown.has(k)));
  return schema()
    .checkBootstrap(known)
    .errors.filter((e) => !unknown.has(rootProperty(e.field)));
}

const distributionCache = new Map<string, Promise<DesiredState>>();

/** The desired state for known, valid options; cached per process (a preview asks repeatedly). */
export function renderDesired(options: Record<string, unknown>, dist: DistributionInputs): Promise<DesiredState> {
  const key = JSON.stringify([options, dist.distribution ?? null, dist.distributionDigest ?? null]);
  let p = distributionCache.get(key);
  if (!p) {
    p = (async () => {
      const { loadDistribution } = require('../distribution') as typeof import('../distribution');
      const { desiredState } = require('../desired-state') as typeof import('../desired-state');
      const distribution = await loadDistribution({
        version: String(options.version),
        source: dist.distribution,
        digest: dist.distributionDigest,
      });
      return desiredState(options, distribution);
    })();
    distributionCache.set(key, p);
    p.catch(() => distributionCache.delete(key));
  }
  return p;
}

/** A distribution failure as an input problem of `distribution`. */
export function distributionProblem(e: unknown, source: string | undefined): InputError {
  if (!(e instanceof DistributionError)) throw e;
  return new InputError({
    field: 'distribution',
    value: source,
    reason: `could not be loaded (${e.message})`,
    remedy: 'give a directory or manifests.tar.gz of that Flux release, or a release URL, e.g. "https://github.com/fluxcd/flux2/releases"',
  });
}
