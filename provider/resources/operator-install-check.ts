// OperatorInstall's inputs, check and diff. check renders the operator's objects from its Go
// module (module.ts: from the proxy once, then the cache) and stores their hash and a per-object
// plan, so diff needs no cluster; the same inputs, module source and engine as last time reuse
// the stored hash without reading the module at all (a no-change preview does no I/O).
import type * as dyn from '@pulumi/pulumi/dynamic';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConnectionSpec, KubeObject } from '../cluster';
import { InputError, InputErrors } from '../errors';
import { text } from '../text';
import { asAsync, failuresFrom, hasUnknown, stableJson, toFailures } from './common';
import { engineStamp, STAMP_FIELD } from './check-memo';
import { replacement } from './install-replacement';
import { objectPlan, sha256 } from './install-state';
import { booleanProblems, checkClusterAndWait } from './cluster-input-checks';
import { hashesOf, hashOf, type OperatorWaitInputs } from './operator-common';

export interface OperatorInstallInputs {
  /** the operator release, e.g. "v0.59.0" */
  version?: string;
  namespace?: string;
  /** where the operator module comes from (module.ts); default the Go module proxy */
  source?: string;
  digest?: string;
  cluster?: ConnectionSpec;
  wait?: OperatorWaitInputs;
  /** take over an operator installed another way (Helm, kubectl) in the namespace */
  adopt?: boolean;
  /** computed by check */
  desiredHash?: string;
  plan?: string;
  [key: string]: unknown;
}

export interface OperatorInstallOutputs extends OperatorInstallInputs {
  /** hash of the objects last applied */
  objectsHash: string;
  /** the objects applied, `Kind/namespace/name` */
  inventory: string[];
  /** the Flux releases this operator carries (what a FluxInstance's range is resolved against) */
  releases: string[];
  /** the API server it was installed on */
  server?: string;
  /** the namespace existed before (a classic Flux, say): destroy keeps it */
  namespaceExisted?: boolean;
  /** a classic Flux ran in the namespace when the operator was installed (the move): the objects
   *  kept from its Kustomization's prune until FluxInstance has reconciled the move (operator-handover.ts) */
  guarded?: import('./operator-handover').Guarded[];
  drift: string[];
}

export const nsOf = (p: OperatorInstallInputs) => text(p.namespace ?? 'flux-system');
const RENDER_FIELDS = ['version', 'namespace', 'source', 'digest'] as const;
const SETTINGS = ['cluster', 'wait', 'adopt'];

/** A directory or zip given as source is stamped by its modification time: edited in place, rendered anew. */
function sourceStamp(source: unknown): string {
  if (typeof source !== 'string' || /^https?:\/\//.test(source)) return '';
  try {
    const st = fs.statSync(fs.statSync(source).isDirectory() ? path.join(source, 'config') : source);
    return `${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    return 'absent';
  }
}

export function operatorStamp(p: Record<string, unknown>): string {
  return sha256(stableJson([engineStamp(), RENDER_FIELDS.map((f) => p[f] ?? null), sourceStamp(p.source)]));
}

/** The operator's objects for these inputs. */
export async function renderOperator(p: OperatorInstallInputs): Promise<{ objects: KubeObject[]; releases: string[] }> {
  const { loadOperatorModule } = require('../operator/module') as typeof import('../operator/module');
  const { operatorObjects } = require('../operator/install-manifests') as typeof import('../operator/install-manifests');
  const module = await loadOperatorModule({ version: text(p.version), source: p.source, digest: p.digest });
  return { objects: operatorObjects(module, { namespace: nsOf(p) }) as unknown as KubeObject[], releases: [...module.releases] };
}

function checkInputs(p: Record<string, unknown>): InputError[] {
  const { checkOperator } = require('../../schema/flux-instance-checks') as typeof import('../../schema/flux-instance-checks');
  const { DNS1123_LABEL } = require('../../schema/fields') as typeof import('../../schema/fields');
  const options = Object.fromEntries(
    ['version', 'source', 'digest'].filter((k) => p[k] !== undefined && !hasUnknown(p[k])).map((k) => [k, p[k]]),
  );
  if (p.version === undefined) options.version = undefined;
  const errors = [...checkOperator(options).errors, ...checkClusterAndWait(p, ['deployments']), ...booleanProblems(p, ['adopt'])];
  if (
    p.namespace !== undefined &&
    !hasUnknown(p.namespace) &&
    !(typeof p.namespace === 'string' && new RegExp(DNS1123_LABEL).test(p.namespace))
  )
    errors.push(
      new InputError({
        field: 'namespace',
        value: p.namespace,
        reason: "must be a lowercase RFC 1123 label (a-z, 0-9, '-')",
        remedy: 'use e.g. "flux-system"',
      }),
    );
  return errors;
}

export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult> {
  const inputs: Record<string, unknown> = { ...news };
  for (const k of ['desiredHash', 'plan', STAMP_FIELD]) delete inputs[k];
  const unknown = RENDER_FIELDS.some((f) => hasUnknown(inputs[f]));
  // nothing that decides the objects changed: the stored hash stands, nothing is read
  if (!unknown && olds?.desiredHash !== undefined && olds[STAMP_FIELD] === operatorStamp(inputs) && checkInputs(inputs).length === 0)
    return { inputs: { ...inputs, desiredHash: olds.desiredHash, plan: '', [STAMP_FIELD]: olds[STAMP_FIELD] }, failures: [] };
  const errors = checkInputs(inputs);
  if (errors.length || unknown) return { inputs, failures: toFailures(errors) };
  let after: Record<string, string>;
  try {
    const { objects } = await renderOperator(inputs);
    inputs.desiredHash = hashOf(objects);
    after = hashesOf(objects);
  } catch (e) {
    if (e instanceof InputError || e instanceof InputErrors) return { inputs, failures: failuresFrom(e) };
    return {
      inputs,
      failures: toFailures([
        new InputError({
          field: 'source',
          value: inputs.source,
          reason: `cannot read the operator module: ${(e as Error).message}`,
          remedy: 'check version, source and digest',
        }),
      ]),
    };
  }
  let before: Record<string, string> | undefined;
  if (olds?.desiredHash !== undefined && olds.desiredHash !== inputs.desiredHash) {
    before = await renderOperator(olds).then(
      (r) => hashesOf(r.objects),
      () => undefined,
    );
  }
  inputs.plan = olds?.desiredHash === inputs.desiredHash ? '' : objectPlan(before, after);
  inputs[STAMP_FIELD] = operatorStamp(inputs);
  return { inputs, failures: [] };
}

export function changedSettings(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return SETTINGS.filter((k) => hasUnknown(news[k]) || stableJson(olds[k]) !== stableJson(news[k]));
}

export function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.DiffResult> {
  return asAsync(() => {
    const o = olds as OperatorInstallOutputs;
    const { replaces, deleteBeforeReplace } = replacement(id, olds, news);
    const objects = news.desiredHash === undefined || news.desiredHash !== o.objectsHash;
    const changes = replaces.length > 0 || objects || changedSettings(olds, news).length > 0 || (o.drift ?? []).length > 0;
    return { changes, replaces, deleteBeforeReplace };
  });
}
