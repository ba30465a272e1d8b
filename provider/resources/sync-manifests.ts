// SyncManifests: gotk-components.yaml, gotk-sync.yaml and kustomization.yaml under
// <path>/<namespace>/ on the branch. check renders them and stores their blob ids, diff compares
// blob ids only (no network), refresh costs one ls-remote per repository while the head is
// unchanged (shared by all resources in the process) and one blob-less tree fetch per
// repository when it moved, and every change is exactly one commit.
import type * as dyn from '@pulumi/pulumi/dynamic';
import type { DesiredState } from '../desired-state';
import { InputError, InputErrors } from '../errors';
import type { CommitPlan, TreeListing } from '../git';
import { text } from '../text';
import { asAsync, compact, failuresFrom, hasUnknown, progress, scrubbed, stableJson, toFailures } from './common';
import { renderStamp, STAMP_FIELD, unchangedRendering, withoutStamp } from './check-memo';
import { checkOptions, distributionProblem, ENGINE_FIELDS, pickOptions, renderDesired, unknownFields } from './engine-options';
import { authSecrets, checkAuth, resolveGitAuth, type AuthInputs } from './git-auth';
import { committedKustomization } from './committed-kustomization';
import { commitMessage, desiredBlobIds, dirOf, fileChanges, hasChanges, isKustomization, join, OUR_FILES, planSummary } from './sync-files';

export interface SyncManifestsInputs {
  /** where to push; default `url` (the URL Flux pulls from) */
  pushUrl?: string;
  auth?: AuthInputs;
  distribution?: string;
  distributionDigest?: string;
  keepFilesOnDestroy?: boolean;
  /** take over Flux manifests already in the directory that differ from what this resource
   *  writes (made by `flux bootstrap`, another tool, or another stack) */
  adopt?: boolean;
  /** computed by check: blob ids of the files we own */
  desiredFiles?: Record<string, string>;
  /** computed by check: what the next commit changes */
  plan?: string;
  [option: string]: unknown;
}

export interface SyncManifestsOutputs extends SyncManifestsInputs {
  /** the last commit this resource made (or found) with the files as desired */
  commit: string;
  /** the branch head when last observed; refresh is free while it is unchanged */
  headSha: string;
  /** path -> blob id of our files as observed in the repository */
  files: Record<string, string>;
  /** the Flux release rendered */
  version: string;
  directory: string;
  /** the user's own kustomization.yaml when the program does not manage it and it is not the
   *  generated one ('' otherwise): ControllerInstall applies with its patches */
  committedKustomization?: string;
}

const WHO = 'SyncManifests';
// loaded on use: check and diff need no git client
const git = () => require('../git') as typeof import('../git');

const pushUrlOf = (p: SyncManifestsInputs) => text(p.pushUrl ?? p.url);
const branchOf = (p: SyncManifestsInputs) => text(p.branch ?? 'main');
const managed = (p: SyncManifestsInputs) => p.kustomization !== undefined;

export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult> {
  const inputs: Record<string, unknown> = { ...news };
  delete inputs.desiredFiles;
  delete inputs.plan;
  delete inputs[STAMP_FIELD];
  const options = pickOptions(inputs);
  const errors: InputError[] = [...checkAuth(inputs.auth, inputs.pushUrl ?? inputs.url)];
  for (const f of ['keepFilesOnDestroy', 'adopt']) {
    if (inputs[f] !== undefined && !hasUnknown(inputs[f]) && typeof inputs[f] !== 'boolean')
      errors.push(new InputError({ field: f, value: inputs[f], reason: 'must be a boolean', remedy: 'use true or false' }));
  }
  // the same rendering as last time: its blob ids stand, nothing to validate or render
  const same = errors.length === 0 ? unchangedRendering(olds, inputs, ENGINE_FIELDS, 'desiredFiles') : undefined;
  if (same) return { inputs: { ...inputs, desiredFiles: same.desiredFiles, plan: '', [STAMP_FIELD]: same[STAMP_FIELD] }, failures: [] };
  errors.unshift(...checkOptions(options));
  if (errors.length > 0 || unknownFields(options).length > 0 || hasUnknown(inputs.distribution) || hasUnknown(inputs.distributionDigest)) {
    return { inputs, failures: toFailures(errors) };
  }
  let desired: DesiredState;
  try {
    desired = await renderDesired(options, inputs);
  } catch (e) {
    const failures =
      e instanceof InputError || e instanceof InputErrors
        ? failuresFrom(e)
        : toFailures([distributionProblem(e, inputs.distribution as string)]);
    return { inputs, failures };
  }
  inputs.desiredFiles = desiredBlobIds(desired, managed(inputs));
  inputs.plan = planSummary(await previous(olds), desired, managed(inputs));
  inputs[STAMP_FIELD] = renderStamp(inputs, ENGINE_FIELDS);
  return { inputs, failures: [] };
}

/** What the old inputs rendered, for the plan's line counts; undefined when unknown. */
async function previous(olds: Record<string, unknown>): Promise<DesiredState | undefined> {
  if (!olds || olds.desiredFiles === undefined) return undefined;
  try {
    return await renderDesired(pickOptions(olds), olds);
  } catch {
    return undefined; // e.g. the old distribution is gone: the plan then lists files without counts
  }
}

export function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.DiffResult> {
  return asAsync(() => {
    const o = olds as SyncManifestsOutputs;
    const n = news as SyncManifestsInputs;
    // a new path or namespace is an update: the files move in one commit (apply)
    const replaces: string[] = [];
    if (stableJson(branchOf(o)) !== stableJson(branchOf(n))) replaces.push('branch');
    if (pushUrlOf(o) !== pushUrlOf(n)) replaces.push(news.pushUrl !== undefined ? 'pushUrl' : 'url');
    // unknown options at preview: something will change, the details follow at `up`
    const unknown = unknownFields(pickOptions(news)).length > 0 || n.desiredFiles === undefined;
    const dir = unknown ? '' : dirOf(Object.keys(n.desiredFiles!)[0]);
    const files = unknown || hasChanges(fileChanges(n.desiredFiles!, o.files ?? {}, dir));
    const settings = ['auth', 'keepFilesOnDestroy', 'adopt'].some(
      (k) => hasUnknown(news[k]) || stableJson(olds[k]) !== stableJson(news[k]),
    );
    return { changes: replaces.length > 0 || files || settings, replaces, deleteBeforeReplace: false };
  });
}

/** Blob ids of our three files in dir at the branch head (no file contents fetched), from a
 *  listing other resources of this process may have just fetched (refresh). */
async function observe(p: SyncManifestsInputs, dir: string): Promise<Observed> {
  return ourFiles(await git().sharedTree(pushUrlOf(p), await resolveGitAuth(p.auth), branchOf(p)), dir);
}

interface Observed {
  head: string | null;
  files: Record<string, string>;
}

function ourFiles(listing: TreeListing, dir: string): Observed {
  const files: Record<string, string> = {};
  for (const e of listing.entries) {
    if (e.type === 'blob' && dirOf(e.path) === dir && OUR_FILES.includes(e.path.slice(e.path.lastIndexOf('/') + 1))) files[e.path] = e.oid;
  }
  return { head: listing.commit, files };
}

/** On create, Flux manifests already in the directory belong to someone else (another stack on
 *  the same path, `flux bootstrap`, the Terraform provider) unless they are exactly what this
 *  resource writes (then nothing changes hands: e.g. a create that pushed and was killed before
 *  Pulumi recorded it). Refused before anything is written, unless adopt is set. */
function refuseForeignFiles(
  p: SyncManifestsInputs,
  dir: string,
  want: Record<string, string>,
  found: Record<string, string>,
  head: string | null,
): void {
  if (p.adopt === true) return;
  const differing = Object.keys(found)
    .filter((path) => want[path] !== found[path])
    .sort();
  if (differing.length === 0) return;
  throw new InputError({
    field: 'path',
    value: text(p.path ?? ''),
    reason: `already holds Flux manifests this resource did not write (${differing.map((x) => x.slice(dir.length + 1)).join(', ')} in ${dir} at ${branchOf(p)}@${head?.slice(0, 12)}): another stack, \`flux bootstrap\` or the Flux Terraform provider manages this cluster path`,
    remedy: 'give this cluster its own path, or set adopt: true to take the directory over once the other owner has let go of it',
  });
}

/** Brings the branch to the desired files in one commit (none when nothing changes). What is
 *  there is read by the commit's own fetch: one git session for looking and writing. */
async function apply(
  p: SyncManifestsInputs,
  previous: Record<string, string>,
  creating = false,
  priorKustomization?: string,
): Promise<SyncManifestsOutputs> {
  const desired = await renderDesired(pickOptions(p), p);
  const want = desiredBlobIds(desired, managed(p));
  const dir = desired.directory;
  // our files elsewhere (a previous path or namespace) move in the same commit
  const elsewhere = Object.fromEntries(Object.entries(previous).filter(([path]) => dirOf(path) !== dir));
  const author = { name: text(p.authorName ?? 'Flux'), email: text(p.authorEmail || 'flux@localhost') };
  const auth = await resolveGitAuth(p.auth);
  let now: Observed = { head: null, files: {} };
  const files: Record<string, string> = {};
  let summary = '';
  // planned once, on the first tip: a retry after a lost race pushes the same change, and the
  // expectation below notices a writer that took our files in between
  let planned: CommitPlan | null | undefined;
  // the whole tree (ids only; the fetch brought every tree anyway): a move looks up the old path too
  const r = await git().commitPlanned(pushUrlOf(p), auth, { branch: branchOf(p), dir: '', author }, async (listing) => {
    if (planned !== undefined) return planned;
    now = ourFiles(listing, dir);
    if (creating) refuseForeignFiles(p, dir, desired.blobIds, now.files, now.head);
    const changes = fileChanges(want, { ...elsewhere, ...now.files }, dir);
    for (const path of changes.write) files[path] = desired.files[path];
    const oldKustomization = Object.keys(elsewhere).find(isKustomization);
    const kNew = join(dir, 'kustomization.yaml');
    const oldId = oldKustomization && listing.entries.find((e) => e.path === oldKustomization)?.oid;
    if (!managed(p) && oldId && changes.write.includes(kNew) && oldId !== desired.blobIds[kNew]) {
      // moving: the user's kustomization.yaml (and its patches) moves too; the generated one
      // (the same at any path), as the tip holds it, needs no read
      files[kNew] =
        (await git().readBlobs(pushUrlOf(p), auth, branchOf(p), [oldKustomization])).files[oldKustomization] ?? desired.files[kNew];
    }
    if (!hasChanges(changes)) return (planned = null);
    // a create also checks, at every attempt, that nobody wrote our files since we looked
    const expect =
      creating && p.adopt !== true ? Object.fromEntries(Object.keys(want).map((path) => [path, now.files[path] ?? null])) : undefined;
    summary = [...changes.write, ...changes.remove.map((x) => `-${x}`)].join(', ');
    return (planned = {
      files,
      deletions: changes.remove,
      message: commitMessage(changes, desired, text(p.commitMessageAppendix ?? '')),
      expect,
    });
  });
  const commit = r.commit;
  if (planned)
    progress(
      WHO,
      r.changed
        ? `committed ${r.commit?.slice(0, 12)} to ${branchOf(p)}: ${planned.message.split('\n')[0]} (${summary})`
        : 'the branch already had the files',
    );
  const observed = { ...now.files };
  for (const [path, content] of Object.entries(files)) observed[path] = git().blobId(content);
  const kPath = join(dir, 'kustomization.yaml');
  const committed = managed(p)
    ? ''
    : await committedKustomization(
        { url: pushUrlOf(p), auth, branch: branchOf(p) },
        kPath,
        observed[kPath],
        desired.blobIds[kPath],
        files[kPath] ?? priorKustomization,
      );
  return withoutStamp({
    ...p,
    commit: commit ?? '',
    headSha: commit ?? '',
    files: observed,
    version: desired.version,
    directory: dir,
    committedKustomization: committed,
  });
}

export async function create(inputs: Record<string, unknown>): Promise<dyn.CreateResult> {
  const p = inputs as SyncManifestsInputs;
  try {
    const outs = await apply(p, {}, true);
    return { id: `${pushUrlOf(p)}#${branchOf(p)}:${outs.directory}`, outs: compact(outs as Record<string, unknown>) };
  } catch (e) {
    throw scrubbed(e, authSecrets(p.auth));
  }
}

export async function update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.UpdateResult> {
  const p = news as SyncManifestsInputs;
  try {
    const outs = await apply(p, (olds as SyncManifestsOutputs).files ?? {}, false, (olds as SyncManifestsOutputs).committedKustomization);
    return { outs: compact(outs as Record<string, unknown>) };
  } catch (e) {
    throw scrubbed(e, [...authSecrets(p.auth), ...authSecrets((olds as SyncManifestsInputs).auth)]);
  }
}

export async function read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult> {
  const p = props as SyncManifestsOutputs;
  try {
    const head = await git().sharedRemoteHead(pushUrlOf(p), await resolveGitAuth(p.auth), branchOf(p));
    if (head !== null && head === p.headSha) return { id, props };
    const now = head === null ? { head, files: {} } : await observe(p, p.directory);
    if (stableJson(now.files) !== stableJson(p.files)) progress(WHO, `drift: ${describeDrift(p.files ?? {}, now.files)}`);
    const kPath = join(p.directory, 'kustomization.yaml');
    const committed =
      managed(p) || now.head === null
        ? ''
        : await committedKustomization(
            { url: pushUrlOf(p), auth: await resolveGitAuth(p.auth), branch: branchOf(p) },
            kPath,
            now.files[kPath],
            (p.desiredFiles ?? {})[kPath] ?? generatedKustomizationId(p),
            p.committedKustomization,
          );
    return { id, props: { ...props, headSha: now.head ?? '', files: now.files, committedKustomization: committed } };
  } catch (e) {
    if (e instanceof git().GitError && e.kind === 'not-found') return { id, props: { ...props, headSha: '', files: {} } };
    throw scrubbed(e, authSecrets(p.auth));
  }
}

/** The generated kustomization.yaml's blob id, as the stored files first recorded it (refresh renders nothing). */
function generatedKustomizationId(p: SyncManifestsOutputs): string | undefined {
  const k = join(p.directory, 'kustomization.yaml');
  return p.committedKustomization ? undefined : p.files?.[k];
}

function describeDrift(before: Record<string, string>, after: Record<string, string>): string {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths
    .filter((x) => before[x] !== after[x])
    .map((x) => (after[x] === undefined ? `${x} deleted` : before[x] === undefined ? `${x} added` : `${x} changed`))
    .join(', ');
}

export async function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  const p = props as SyncManifestsOutputs;
  if (p.keepFilesOnDestroy) {
    progress(WHO, `kept the Flux manifests in ${p.directory} (keepFilesOnDestroy)`);
    return;
  }
  try {
    const deletions = OUR_FILES.map((f) => join(p.directory, f));
    const author = { name: text(p.authorName ?? 'Flux'), email: text(p.authorEmail || 'flux@localhost') };
    const tail = p.commitMessageAppendix ? `\n\n${text(p.commitMessageAppendix)}` : '';
    const r = await git().commitFiles(pushUrlOf(p), await resolveGitAuth(p.auth), {
      branch: branchOf(p),
      files: {},
      deletions,
      message: `Remove Flux manifests from ${p.directory}${tail}`,
      author,
    });
    progress(
      WHO,
      r.changed
        ? `removed the Flux manifests from ${p.directory} in ${r.commit?.slice(0, 12)}`
        : `no Flux manifests left in ${p.directory}`,
    );
  } catch (e) {
    if (e instanceof git().GitError && e.kind === 'not-found') return;
    throw scrubbed(e, authSecrets(p.auth));
  }
}

export { remove as delete };
