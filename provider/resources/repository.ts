// Repository: get or create the Git repository on its host. Destroy deletes only a repository
// this resource created, and only while it is empty, unless forceDestroy says otherwise.
import type * as dyn from '@pulumi/pulumi/dynamic';
import { visibilityProblem } from '../../schema/repository-checks';
import { InputError } from '../errors';
import { repositoryUrls } from '../hosts/repository-urls';
import { asAsync, compact, hasUnknown, progress, scrubbed, stableJson, toFailures } from './common';
import type { GitHubAppInputs } from './github-app-inputs';
import { verifyGitHubApp } from './github-app-inputs';
import { checkHostInputs, gitHostFor, pickHostInputs, repoRef, REPOSITORY_IDENTITY, type HostInputs } from './host-inputs';

export interface RepositoryInputs extends HostInputs {
  token?: string;
  /** a GitHub App instead of the token */
  auth?: GitHubAppInputs;
  visibility: 'private' | 'internal' | 'public';
  defaultBranch?: string;
  description?: string;
  /** create it when missing (default true); false: it must exist */
  create: boolean;
  /** delete it on destroy even when it has commits (only if this resource created it) */
  forceDestroy: boolean;
}

export interface RepositoryOutputs extends RepositoryInputs {
  /** this resource created it (so destroy may delete it) */
  created: boolean;
  /** where commits are pushed: https with the token on API hosts, the url on plain git */
  pushUrl: string;
  /** what Flux pulls from (gotk-sync.yaml's url) */
  syncUrl: string;
  httpsUrl: string;
  sshUrl: string;
}

const WHO = 'Repository';

export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult> {
  const inputs: Record<string, unknown> = { visibility: 'private', create: true, forceDestroy: false, ...news };
  const errors = checkHostInputs(inputs);
  // a new or changed App is looked up once (installation, key, clock); an unchanged one costs nothing
  if (errors.length === 0) errors.push(...(await verifyGitHubApp(olds, inputs)));
  const visibility = hasUnknown(inputs.visibility) ? undefined : visibilityProblem(inputs.visibility);
  if (visibility) errors.push(visibility);
  for (const f of ['create', 'forceDestroy']) {
    if (!hasUnknown(inputs[f]) && typeof inputs[f] !== 'boolean') {
      errors.push(new InputError({ field: f, value: inputs[f], reason: 'must be a boolean', remedy: 'use true or false' }));
    }
  }
  // the URLs follow from the inputs: known at preview, so the files (gotk-sync.yaml's url) and
  // the deploy key's scan need not wait for the repository to exist
  const host = pickHostInputs(inputs);
  if (errors.length === 0 && !hasUnknown(host) && !hasUnknown(inputs.auth)) {
    try {
      Object.assign(inputs, repositoryUrls(host, inputs.auth !== undefined));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(new InputError({ field: 'apiUrl', value: e.value, reason: e.reason, remedy: e.remedy }));
    }
  }
  return { inputs, failures: toFailures(errors) };
}

const COMPARED = [
  ...REPOSITORY_IDENTITY,
  'token',
  'auth',
  'visibility',
  'defaultBranch',
  'description',
  'create',
  'forceDestroy',
  'sshHost',
  'syncTransport',
  'addKeyCommand',
  'removeKeyCommand',
];

export function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.DiffResult> {
  return asAsync(() => {
    const differs = (k: string) => hasUnknown(news[k]) || stableJson(olds[k]) !== stableJson(news[k]);
    const changed = COMPARED.filter(differs);
    const replaces = (REPOSITORY_IDENTITY as readonly string[]).filter(differs);
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  });
}

function idOf(i: HostInputs): string {
  return i.host === 'git' ? `git:${i.url}` : `${i.host}:${i.owner}/${i.name}`;
}

async function ensure(i: RepositoryInputs): Promise<Omit<RepositoryOutputs, keyof RepositoryInputs>> {
  const host = gitHostFor(pickHostInputs(i as unknown as Record<string, unknown>), i.token, WHO, i.auth);
  const r = await host.ensureRepository({
    ...repoRef(i),
    visibility: i.visibility,
    defaultBranch: i.defaultBranch,
    description: i.description,
    create: i.create,
  });
  for (const w of r.warnings) progress(WHO, `warning: ${w}`);
  if (r.created) progress(WHO, `created ${i.visibility} repository ${r.httpsUrl}`);
  const pushUrl = i.host === 'git' ? i.url! : r.httpsUrl;
  return { created: r.created, pushUrl, syncUrl: r.syncUrl, httpsUrl: r.httpsUrl, sshUrl: r.sshUrl };
}

export async function create(inputs: Record<string, unknown>): Promise<dyn.CreateResult> {
  const i = inputs as unknown as RepositoryInputs;
  try {
    const outs = await ensure(i);
    return { id: idOf(i), outs: compact({ ...i, ...outs }) };
  } catch (e) {
    throw scrubbed(e, [i.token, i.auth?.privateKey]);
  }
}

export async function read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult> {
  const p = props as unknown as RepositoryOutputs;
  try {
    const host = gitHostFor(pickHostInputs(props), p.token, WHO, p.auth);
    const r = await host.getRepository(repoRef(p));
    // gone: refresh drops it from the state and the next `up` creates it again
    if (!r) return {};
    return { id, props: compact({ ...p, syncUrl: r.syncUrl, httpsUrl: r.httpsUrl, sshUrl: r.sshUrl }) };
  } catch (e) {
    throw scrubbed(e, [p.token, p.auth?.privateKey]);
  }
}

export async function update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.UpdateResult> {
  const i = news as unknown as RepositoryInputs;
  try {
    const outs = await ensure(i);
    return { outs: compact({ ...i, ...outs, created: outs.created || olds.created === true }) };
  } catch (e) {
    throw scrubbed(e, [i.token, i.auth?.privateKey]);
  }
}

export async function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  const p = props as unknown as RepositoryOutputs;
  if (!p.created) {
    progress(WHO, `kept ${p.httpsUrl ?? p.url}: it existed before this stack`);
    return;
  }
  try {
    const host = gitHostFor(pickHostInputs(props), p.token, WHO, p.auth);
    const ref = repoRef(p);
    const r = await host.getRepository(ref);
    if (!r) return;
    if (!r.empty && !p.forceDestroy) {
      progress(WHO, `kept ${p.httpsUrl}: it has commits (set forceDestroy: true to delete it with its history)`);
      return;
    }
    await host.deleteRepository({ ...ref, force: p.forceDestroy });
    progress(WHO, `deleted ${p.httpsUrl}`);
  } catch (e) {
    throw scrubbed(e, [p.token, p.auth?.privateKey]);
  }
}

export { remove as delete };
