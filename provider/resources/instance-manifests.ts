// InstanceManifests: the FluxInstance manifest committed at <path>/<namespace>/flux-instance.yaml,
// so the cluster manages its own Flux from Git afterwards (the operator's Kustomization
// reconciles <path>, this file included), as the operator's documentation recommends. Like
// SyncManifests: check renders and stores the blob id, diff compares ids (no network), refresh
// is one ls-remote while the head is unchanged, and every change is one commit.
//
// The move: a classic bootstrap's files in that directory (gotk-components.yaml,
// gotk-sync.yaml, kustomization.yaml) are removed in the same commit that adds the manifest,
// when `adopt` is set; without it they are refused, named, before anything is written.
import type * as dyn from '@pulumi/pulumi/dynamic';
import { InputError, InputErrors } from '../errors';
import type { TreeListing } from '../git';
import { text } from '../text';
import { asAsync, compact, failuresFrom, hasUnknown, progress, scrubbed, stableJson, toFailures } from './common';
import { engineStamp, STAMP_FIELD } from './check-memo';
import { authSecrets, checkAuth, resolveGitAuth, type AuthInputs } from './git-auth';
import { sha256 } from './install-state';
import { countLineChanges, formatCounts } from './line-diff';
import { dirOf, join, OUR_FILES } from './sync-files';
import type { FluxInstanceSpec } from '../../schema/flux-instance';

export interface InstanceManifestsInputs {
  url?: string;
  pushUrl?: string;
  auth?: AuthInputs;
  branch?: string;
  path?: string;
  namespace?: string;
  instance?: FluxInstanceSpec;
  authorName?: string;
  authorEmail?: string;
  commitMessageAppendix?: string;
  /** replace a classic bootstrap's files in the directory (the move), or a manifest someone else wrote */
  adopt?: boolean;
  keepFilesOnDestroy?: boolean;
  /** computed by check */
  desiredFiles?: Record<string, string>;
  plan?: string;
  [key: string]: unknown;
}

export interface InstanceManifestsOutputs extends InstanceManifestsInputs {
  commit: string;
  headSha: string;
  files: Record<string, string>;
  directory: string;
  /** the classic files the first commit replaced ('' when there were none) */
  replaced: string;
}

const WHO = 'InstanceManifests';
const git = () => require('../git') as typeof import('../git');
const pushUrlOf = (p: InstanceManifestsInputs) => text(p.pushUrl ?? p.url);
const branchOf = (p: InstanceManifestsInputs) => text(p.branch ?? 'main');
const nsOf = (p: InstanceManifestsInputs) => text(p.namespace ?? 'flux-system');
const RENDER_FIELDS = ['path', 'namespace', 'instance'];

function normalizePath(p: string): string {
  return p
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

/** The one file: path -> content. */
export function instanceFiles(p: InstanceManifestsInputs): Record<string, string> {
  const { instanceManifest, INSTANCE_FILE } = require('../operator/instance') as typeof import('../operator/instance');
  const dir = join(normalizePath(text(p.path ?? '')), nsOf(p));
  return { [join(dir, INSTANCE_FILE)]: instanceManifest(p.instance!, nsOf(p)) };
}

const stampOf = (p: Record<string, unknown>) => sha256(stableJson([engineStamp(), RENDER_FIELDS.map((f) => p[f] ?? null)]));

export function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult> {
  return asAsync(() => checkNow(olds, news));
}

function checkNow(olds: Record<string, unknown>, news: Record<string, unknown>): dyn.CheckResult {
  const inputs: Record<string, unknown> = { ...news };
  for (const k of ['desiredFiles', 'plan', STAMP_FIELD]) delete inputs[k];
  const errors: InputError[] = [...checkAuth(inputs.auth, inputs.pushUrl ?? inputs.url)];
  const unknown = RENDER_FIELDS.some((f) => hasUnknown(inputs[f]));
  if (!unknown && errors.length === 0 && olds?.desiredFiles !== undefined && olds[STAMP_FIELD] === stampOf(inputs))
    return { inputs: { ...inputs, desiredFiles: olds.desiredFiles, plan: '', [STAMP_FIELD]: olds[STAMP_FIELD] }, failures: [] };
  if (inputs.instance === undefined)
    errors.push(
      new InputError({ field: 'instance', value: undefined, reason: 'a value is required', remedy: 'give the FluxInstance spec' }),
    );
  else if (!hasUnknown(inputs.instance)) {
    const { checkFluxInstance } = require('../../schema/flux-instance-checks') as typeof import('../../schema/flux-instance-checks');
    const r = checkFluxInstance(inputs.instance);
    errors.push(
      ...r.errors.map(
        (e) => new InputError({ field: `instance.${e.field}`, value: e.value, reason: e.reason, remedy: e.remedy, secret: e.secret }),
      ),
    );
    if (r.value) inputs.instance = r.value;
  }
  if (errors.length || unknown) return { inputs, failures: toFailures(errors) };
  let files: Record<string, string>;
  try {
    files = instanceFiles(inputs);
  } catch (e) {
    if (e instanceof InputError || e instanceof InputErrors) return { inputs, failures: failuresFrom(e) };
    throw e;
  }
  const blob = git().blobId;
  inputs.desiredFiles = Object.fromEntries(Object.entries(files).map(([path, content]) => [path, blob(content)]));
  const before = olds?.instance !== undefined && olds.desiredFiles !== undefined ? instanceFiles(olds) : undefined;
  inputs.plan = Object.entries(files)
    .map(([path, content]) => {
      const old = before?.[path];
      if (old === content) return '';
      return old === undefined ? `create ${path}` : `${path} ${formatCounts(countLineChanges(old, content))}`;
    })
    .filter(Boolean)
    .join('\n');
  inputs[STAMP_FIELD] = stampOf(inputs);
  return { inputs, failures: [] };
}

export function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.DiffResult> {
  return asAsync(() => {
    const o = olds as InstanceManifestsOutputs;
    const n = news as InstanceManifestsInputs;
    const replaces = [...(branchOf(o) !== branchOf(n) ? ['branch'] : []), ...(pushUrlOf(o) !== pushUrlOf(n) ? ['url'] : [])];
    const files = n.desiredFiles === undefined || stableJson(n.desiredFiles) !== stableJson(o.files ?? {});
    const settings = ['auth', 'adopt', 'keepFilesOnDestroy'].some(
      (k) => hasUnknown(news[k]) || stableJson(olds[k]) !== stableJson(news[k]),
    );
    return { changes: replaces.length > 0 || files || settings, replaces, deleteBeforeReplace: false };
  });
}

/** Blob ids, in `dir` at the tip, of the instance manifest and of a classic bootstrap's files. */
function found(listing: TreeListing, dir: string): Record<string, string> {
  const { INSTANCE_FILE } = require('../operator/instance') as typeof import('../operator/instance');
  const names = [INSTANCE_FILE, ...OUR_FILES];
  return Object.fromEntries(
    listing.entries
      .filter((e) => e.type === 'blob' && dirOf(e.path) === dir && names.includes(e.path.slice(dir.length + 1)))
      .map((e) => [e.path, e.oid]),
  );
}

async function apply(p: InstanceManifestsInputs, previous: Record<string, string>, creating: boolean): Promise<InstanceManifestsOutputs> {
  const files = instanceFiles(p);
  const [path] = Object.keys(files);
  const dir = dirOf(path);
  const want = git().blobId(files[path]);
  const author = { name: text(p.authorName ?? 'Flux'), email: text(p.authorEmail || 'flux@localhost') };
  const tail = p.commitMessageAppendix ? `\n\n${text(p.commitMessageAppendix)}` : '';
  let replaced: string[] = [];
  // our manifest in a previous directory (a new path or namespace) goes in the same commit
  const elsewhere = Object.keys(previous).filter((x) => dirOf(x) !== dir);
  const r = await git().commitPlanned(pushUrlOf(p), await resolveGitAuth(p.auth), { branch: branchOf(p), dir: '', author }, (listing) => {
    const here = found(listing, dir);
    const classic = OUR_FILES.map((f) => join(dir, f)).filter((x) => here[x] !== undefined);
    const foreign = creating && here[path] !== undefined && here[path] !== want;
    if ((classic.length || foreign) && p.adopt !== true)
      throw new InputError({
        field: 'adopt',
        value: p.adopt,
        reason: classic.length
          ? `is not set, and ${dir} holds a classic Flux bootstrap (${classic.map((x) => x.slice(dir.length + 1)).join(', ')} at ${branchOf(p)}@${listing.commit?.slice(0, 12)})`
          : `is not set, and ${path} exists with other content (another stack or tool manages this Flux)`,
        remedy: classic.length
          ? 'set adopt: true to move it to the Flux Operator: the FluxInstance manifest replaces those files in one commit'
          : 'give this cluster its own path, or set adopt: true to take the manifest over',
      });
    replaced = classic;
    if (here[path] === want && !classic.length && !elsewhere.length) return Promise.resolve(null);
    const message = classic.length
      ? `Move Flux in ${dir} to the Flux Operator: flux-instance.yaml replaces ${classic.map((x) => x.slice(dir.length + 1)).join(', ')}${tail}`
      : elsewhere.length
        ? `Move the Flux Operator instance manifest from ${elsewhere.map(dirOf).join(', ')} to ${dir}${tail}`
        : `${here[path] === undefined ? 'Add' : 'Update'} the Flux Operator instance manifest in ${dir}${tail}`;
    return Promise.resolve({ files: here[path] === want ? {} : files, deletions: [...classic, ...elsewhere], message });
  });
  progress(WHO, r.changed ? `committed ${r.commit?.slice(0, 12)} to ${branchOf(p)}` : 'the branch already had the manifest');
  return {
    ...p,
    commit: r.commit ?? '',
    headSha: r.commit ?? '',
    files: { [path]: want },
    directory: dir,
    replaced: replaced.join(','),
  };
}

export async function create(inputs: Record<string, unknown>): Promise<dyn.CreateResult> {
  const p = inputs as InstanceManifestsInputs;
  try {
    const outs = await apply(p, {}, true);
    const { [STAMP_FIELD]: _s, ...rest } = outs as Record<string, unknown>;
    return { id: `${pushUrlOf(p)}#${branchOf(p)}:${outs.directory}`, outs: compact(rest) };
  } catch (e) {
    throw scrubbed(e, authSecrets(p.auth));
  }
}

export async function update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.UpdateResult> {
  const p = news as InstanceManifestsInputs;
  try {
    const outs = await apply(p, (olds as InstanceManifestsOutputs).files ?? {}, false);
    const { [STAMP_FIELD]: _s, ...rest } = outs as Record<string, unknown>;
    return { outs: compact({ ...rest, replaced: (olds as InstanceManifestsOutputs).replaced || outs.replaced }) };
  } catch (e) {
    throw scrubbed(e, [...authSecrets(p.auth), ...authSecrets((olds as InstanceManifestsInputs).auth)]);
  }
}

export async function read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult> {
  const p = props as InstanceManifestsOutputs;
  try {
    const auth = await resolveGitAuth(p.auth);
    const head = await git().sharedRemoteHead(pushUrlOf(p), auth, branchOf(p));
    if (head !== null && head === p.headSha) return { id, props };
    if (head === null) return { id, props: { ...props, headSha: '', files: {} } };
    const listing = await git().sharedTree(pushUrlOf(p), auth, branchOf(p));
    const [path] = Object.keys(p.files ?? {});
    const now = path ? found(listing, p.directory) : {};
    const files = path && now[path] ? { [path]: now[path] } : {};
    if (stableJson(files) !== stableJson(p.files)) progress(WHO, `drift: ${path} ${files[path] ? 'changed' : 'deleted'}`);
    return { id, props: { ...props, headSha: listing.commit ?? '', files } };
  } catch (e) {
    if (e instanceof git().GitError && e.kind === 'not-found') return { id, props: { ...props, headSha: '', files: {} } };
    throw scrubbed(e, authSecrets(p.auth));
  }
}

export async function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  const p = props as InstanceManifestsOutputs;
  if (p.keepFilesOnDestroy) {
    progress(WHO, `kept the instance manifest in ${p.directory} (keepFilesOnDestroy)`);
    return;
  }
  try {
    const author = { name: text(p.authorName ?? 'Flux'), email: text(p.authorEmail || 'flux@localhost') };
    const tail = p.commitMessageAppendix ? `\n\n${text(p.commitMessageAppendix)}` : '';
    const r = await git().commitFiles(pushUrlOf(p), await resolveGitAuth(p.auth), {
      branch: branchOf(p),
      files: {},
      deletions: [join(p.directory, (require('../operator/instance') as typeof import('../operator/instance')).INSTANCE_FILE)],
      message: `Remove the Flux Operator instance manifest from ${p.directory}${tail}`,
      author,
    });
    progress(
      WHO,
      r.changed
        ? `removed the instance manifest from ${p.directory} in ${r.commit?.slice(0, 12)}`
        : `no instance manifest left in ${p.directory}`,
    );
  } catch (e) {
    if (e instanceof git().GitError && e.kind === 'not-found') return;
    throw scrubbed(e, authSecrets(p.auth));
  }
}

export { remove as delete };
