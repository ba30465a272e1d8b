// FluxInstance's inputs, check and diff. check validates the spec against schema/ (prefixed
// `instance.`), resolves its version range against the releases the operator carries (the
// operator module: module.ts), and stores the release it resolves to (`resolvedVersion`), the
// hash of what will be applied and a plan line, so a preview names the release the operator
// will install and shows a new release inside the range as an update of `resolvedVersion`. The
// same inputs and operator module as last time reuse all of it without reading anything.
import type * as dyn from '@pulumi/pulumi/dynamic';
import type { ConnectionSpec } from '../cluster';
import { InputError } from '../errors';
import { text } from '../text';
import { asAsync, hasUnknown, stableJson, toFailures } from './common';
import { engineStamp, STAMP_FIELD } from './check-memo';
import type { Guarded } from './operator-handover';
import { replacement } from './install-replacement';
import { sha256, type CredentialsInputs } from './install-state';
import { checkClusterAndWait } from './cluster-input-checks';
import type { FluxInstanceSpec } from '../../schema/flux-instance';

export interface FluxInstanceWaitInputs {
  /** wait until the FluxInstance is Ready and, with a commit, its sync at that commit (default true) */
  reconciliation?: boolean;
  timeoutSeconds?: number;
}

export interface FluxInstanceInputs {
  namespace?: string;
  /** the FluxInstance spec (schema/flux-instance.ts) */
  instance?: FluxInstanceSpec;
  /** the operator whose releases the range resolves against: OperatorInstall's version and source */
  operator?: { version?: string; source?: string; digest?: string };
  cluster?: ConnectionSpec;
  /** the sync's pull Secret (SSH key, HTTPS, GitHub App or registry credentials) */
  credentials?: CredentialsInputs;
  /** the commit (Git) or artifact digest (OCI) the sync must reach, e.g. InstanceManifests.commit */
  commit?: string;
  wait?: FluxInstanceWaitInputs;
  /** OperatorInstall.guarded: the classic objects to release from their prune guard once the move is reconciled */
  releaseGuards?: Guarded[];
  /** computed by check */
  resolvedVersion?: string;
  desiredHash?: string;
  plan?: string;
  [key: string]: unknown;
}

export interface FluxInstanceOutputs extends FluxInstanceInputs {
  /** the Flux release the operator reports applied */
  version: string;
  /** status.lastAppliedRevision: `<version>@sha256:<digest of the build>` */
  lastAppliedRevision: string;
  /** the sync's revision when last seen */
  revision: string;
  objectsHash: string;
  server?: string;
  drift: string[];
}

export const nsOf = (p: FluxInstanceInputs) => text(p.namespace ?? 'flux-system');
const RENDER_FIELDS = ['namespace', 'instance', 'operator'];
const SETTINGS = ['cluster', 'credentials', 'commit', 'wait', 'releaseGuards'];

function credentialShape(c: unknown): string {
  return hasUnknown(c)
    ? 'unknown'
    : Object.entries((c ?? {}) as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k)
        .sort()
        .join(',');
}

const stampOf = (p: Record<string, unknown>) =>
  sha256(stableJson([engineStamp(), RENDER_FIELDS.map((f) => p[f] ?? null), credentialShape(p.credentials)]));

/** What apply writes, hashed: the object and the resolved release (not secret values). */
export function desiredHashOf(p: FluxInstanceInputs, resolved: string): string {
  const { instanceObject } = require('../operator/instance') as typeof import('../operator/instance');
  return sha256(stableJson([instanceObject(p.instance!, nsOf(p)), resolved]));
}

/** The release the range resolves to among the operator's releases. */
export async function resolveVersion(p: FluxInstanceInputs): Promise<string> {
  const { loadOperatorModule } = require('../operator/module') as typeof import('../operator/module');
  const { resolveInstanceVersion } = require('../operator/instance') as typeof import('../operator/instance');
  const version = text(p.operator?.version ?? '');
  const module = await loadOperatorModule({ version, source: p.operator?.source, digest: p.operator?.digest });
  return resolveInstanceVersion(p.instance!, module.releases, version);
}

function problems(inputs: Record<string, unknown>): InputError[] {
  const { checkFluxInstance } = require('../../schema/flux-instance-checks') as typeof import('../../schema/flux-instance-checks');
  const { credentialProblems } = require('../operator/instance') as typeof import('../operator/instance');
  const errors = [...checkClusterAndWait(inputs, ['reconciliation'])];
  if (inputs.instance === undefined)
    errors.push(
      new InputError({ field: 'instance', value: undefined, reason: 'a value is required', remedy: 'give the FluxInstance spec' }),
    );
  else if (!hasUnknown(inputs.instance)) {
    const r = checkFluxInstance(inputs.instance);
    errors.push(
      ...r.errors.map(
        (e) => new InputError({ field: `instance.${e.field}`, value: e.value, reason: e.reason, remedy: e.remedy, secret: e.secret }),
      ),
    );
    if (r.value) {
      inputs.instance = r.value;
      if (!hasUnknown(inputs.credentials)) errors.push(...credentialProblems(r.value, inputs.credentials as CredentialsInputs | undefined));
    }
  }
  const op = inputs.operator as Record<string, unknown> | undefined;
  if (op === undefined || (!hasUnknown(op) && typeof op.version !== 'string'))
    errors.push(
      new InputError({
        field: 'operator.version',
        value: op?.version,
        reason: 'a value is required',
        remedy: "pass the OperatorInstall's version and source",
      }),
    );
  return errors;
}

export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult> {
  const inputs: Record<string, unknown> = { ...news };
  for (const k of ['resolvedVersion', 'desiredHash', 'plan', STAMP_FIELD]) delete inputs[k];
  const unknown = RENDER_FIELDS.some((f) => hasUnknown(inputs[f]));
  if (!unknown && olds?.desiredHash !== undefined && olds[STAMP_FIELD] === stampOf(inputs) && problems({ ...inputs }).length === 0)
    return {
      inputs: {
        ...inputs,
        resolvedVersion: olds.resolvedVersion,
        desiredHash: olds.desiredHash,
        plan: '',
        [STAMP_FIELD]: olds[STAMP_FIELD],
      },
      failures: [],
    };
  const errors = problems(inputs);
  if (errors.length || unknown) return { inputs, failures: toFailures(errors) };
  const p = inputs as FluxInstanceInputs;
  let resolved: string;
  try {
    resolved = await resolveVersion(p);
  } catch (e) {
    const err =
      e instanceof InputError
        ? e
        : new InputError({
            field: 'operator',
            value: p.operator,
            reason: `cannot read the operator's releases: ${(e as Error).message}`,
            remedy: 'check its version and source',
          });
    return { inputs, failures: toFailures([err]) };
  }
  if (p.instance!.sync?.provider === 'aws' && p.instance!.sync.kind === 'GitRepository' && !/^v(2\.(9|[1-9]\d)|[3-9])/.test(resolved))
    return {
      inputs,
      failures: toFailures([
        new InputError({
          field: 'instance.sync.provider',
          value: 'aws',
          reason: `needs Flux v2.9.0 or later for a GitRepository; the range resolves to ${resolved}`,
          remedy: 'use a range of 2.9 or later',
        }),
      ]),
    };
  inputs.resolvedVersion = resolved;
  inputs.desiredHash = desiredHashOf(p, resolved);
  const before = typeof olds?.resolvedVersion === 'string' ? olds.resolvedVersion : undefined;
  const range = p.instance!.distribution.version;
  inputs.plan =
    olds?.desiredHash === inputs.desiredHash
      ? ''
      : before === undefined
        ? `install Flux ${resolved} (${range}) as FluxInstance ${nsOf(p)}/flux`
        : before !== resolved
          ? `Flux ${before} -> ${resolved} (${range})`
          : `update FluxInstance ${nsOf(p)}/flux (Flux ${resolved})`;
  inputs[STAMP_FIELD] = stampOf(inputs);
  return { inputs, failures: [] };
}

export function changedSettings(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return SETTINGS.filter((k) => hasUnknown(news[k]) || stableJson(olds[k]) !== stableJson(news[k]));
}

export function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.DiffResult> {
  return asAsync(() => {
    const o = olds as FluxInstanceOutputs;
    const { replaces, deleteBeforeReplace } = replacement(id, olds, news);
    const objects = news.desiredHash === undefined || news.desiredHash !== o.objectsHash;
    const changes = replaces.length > 0 || objects || changedSettings(olds, news).length > 0 || (o.drift ?? []).length > 0;
    return { changes, replaces, deleteBeforeReplace };
  });
}
