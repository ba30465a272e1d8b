// ControllerInstall's check and diff: render and hash the objects from the inputs, so that a diff
// needs no cluster, and judge which settings changed. No I/O besides reading the distribution.
import type * as dyn from '@pulumi/pulumi/dynamic';
import type { DesiredState } from '../desired-state';
import { InputError, InputErrors } from '../errors';
import { booleanProblems, checkClusterAndWait } from './cluster-input-checks';
import { asAsync, failuresFrom, hasUnknown, progress, stableJson, toFailures } from './common';
import { renderStamp, STAMP_FIELD, unchangedRendering } from './check-memo';
import { optionsOf, RENDER_FIELDS, SETTINGS, type ControllerInstallOutputs } from './controller-install-inputs';
import { checkOptions, distributionProblem, renderDesired, unknownFields } from './engine-options';
import { objectHashes, objectPlan, objectsHash, type CredentialsInputs } from './install-state';
import { replacement } from './install-replacement';
import { ociCredentialProblems } from './oci-install';
import { committedAtPreview } from './committed-kustomization';
import { sourceMoveOf } from './source-follow';
import { previewFound } from './found-install';
import { moveNotice } from './tracked-source';

function checkSettings(p: Record<string, unknown>): InputError[] {
  return [
    ...checkClusterAndWait(p, ['reconciliation', 'deployments']),
    ...booleanProblems(p, ['keepNamespace', 'adopt', 'force', 'deleteUnreachable']),
  ];
}

export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult> {
  const inputs: Record<string, unknown> = { ...news };
  delete inputs.desiredHash;
  delete inputs.plan;
  delete inputs[STAMP_FIELD];
  // the same rendering as last time, with credentials of the same shape: its hash stands
  const same =
    credentialShape(olds) === credentialShape(inputs) ? unchangedRendering(olds, inputs, RENDER_FIELDS, 'desiredHash') : undefined;
  if (same && checkSettings(inputs).length === 0)
    return { inputs: { ...inputs, desiredHash: same.desiredHash, plan: '', [STAMP_FIELD]: same[STAMP_FIELD] }, failures: [] };
  // a preview before SyncManifests has read the repository: plan with what it read last time
  const guessed = hasUnknown(inputs.committedKustomization);
  const options = optionsOf(guessed ? { ...inputs, committedKustomization: lastCommitted(olds) } : inputs);
  const errors = [...checkOptions(options), ...checkSettings(inputs)];
  if (errors.length > 0 || unknownFields(options).length > 0 || hasUnknown(inputs.distribution) || hasUnknown(inputs.distributionDigest)) {
    return { inputs, failures: toFailures(errors) };
  }
  let d: DesiredState;
  try {
    d = await renderDesired(options, inputs);
    // before SyncManifests has read it: the kustomization.yaml as committed now, when Flux's credentials are known
    const now = guessed ? await committedAtPreview(inputs, d) : undefined;
    if (now !== undefined && now !== lastCommitted(olds))
      d = await renderDesired(optionsOf({ ...inputs, committedKustomization: now }), inputs);
  } catch (e) {
    return {
      inputs,
      failures:
        e instanceof InputError || e instanceof InputErrors
          ? failuresFrom(e)
          : toFailures([distributionProblem(e, inputs.distribution as string)]),
    };
  }
  const creds = inputs.credentials as CredentialsInputs | undefined;
  if (d.secretShape.source.transport === 'ssh' && !hasUnknown(creds) && creds?.privateKey === undefined) {
    return {
      inputs,
      failures: toFailures([
        new InputError({
          field: 'credentials',
          value: undefined,
          reason: `needs privateKey, publicKey and knownHosts for the ssh URL ${String(options.url)}`,
          remedy: 'pass the DeployKey outputs, or use an https URL with username and password',
          secret: true,
        }),
      ]),
    };
  }
  const ociProblems = d.sourceKind === 'oci' && !hasUnknown(creds) ? ociCredentialProblems(d, creds) : [];
  if (ociProblems.length > 0) return { inputs, failures: toFailures(ociProblems) };
  inputs.desiredHash = objectsHash(d);
  let before: Record<string, string> | undefined;
  if (olds && olds.desiredHash !== undefined) {
    try {
      before = objectHashes(await renderDesired(optionsOf(olds), olds));
    } catch {
      before = undefined;
    }
  }
  inputs.plan = olds?.desiredHash === inputs.desiredHash ? '' : objectPlan(before, objectHashes(d));
  // say at preview where Flux will pull from when a committed kustomization.yaml moves it
  const move = inputs.plan ? await sourceMoveOf(inputs, d) : undefined;
  if (move) {
    progress('ControllerInstall', moveNotice(move, d.directory));
    inputs.plan = `${String(inputs.plan)}; ${moveNotice(move, d.directory)}`;
  }
  // the preview of a create says what up will find in the namespace and do (found-install.ts)
  if (olds?.desiredHash === undefined) {
    const found = await previewFound(inputs);
    if (found) progress('ControllerInstall', found);
  }
  // a guess is not stamped: the next check renders again with what SyncManifests read
  if (!guessed) inputs[STAMP_FIELD] = renderStamp(inputs, RENDER_FIELDS);
  return { inputs, failures: [] };
}

/** The committed kustomization.yaml the last check rendered with: none on a first preview (a
 *  repository without one, or one `up` reads before it installs). */
function lastCommitted(olds: Record<string, unknown> | undefined): string {
  const c = olds?.committedKustomization;
  return typeof c === 'string' && !hasUnknown(c) ? c : '';
}

/** Which credential fields are given (not their values): the ssh check below depends on it. */
function credentialShape(p: Record<string, unknown> | undefined): string {
  const c = p?.credentials;
  return hasUnknown(c)
    ? 'unknown'
    : Object.keys((c ?? {}) as Record<string, unknown>)
        .filter((k) => (c as Record<string, unknown>)[k] !== undefined)
        .sort()
        .join(',');
}

/** Settings (not objects) whose new value differs or is not known yet. */
export function changedSettings(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return [...SETTINGS, 'registryCredentials'].filter((k) => hasUnknown(news[k]) || stableJson(olds[k]) !== stableJson(news[k]));
}

export function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.DiffResult> {
  return asAsync(() => {
    const o = olds as ControllerInstallOutputs;
    const { replaces, deleteBeforeReplace } = replacement(id, olds, news);
    // a plan guessed before SyncManifests read the repository may still change: not "no change"
    const objects = news.desiredHash === undefined || news.desiredHash !== o.objectsHash || hasUnknown(news.committedKustomization);
    const settings = changedSettings(olds, news).length > 0;
    const drift = (o.drift ?? []).length > 0;
    return { changes: replaces.length > 0 || objects || settings || drift, replaces, deleteBeforeReplace };
  });
}
