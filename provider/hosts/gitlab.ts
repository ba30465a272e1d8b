// GitLab (gitlab.com and self-managed) through @gitbeaker/rest. Projects live under a user or
// group namespace (subgroups as `group/sub`); gitbeaker retries 429 and 502 itself.
import { Gitlab } from '@gitbeaker/rest';
import { InputError } from '../errors';
import type { Secret } from '../secret';
import { ABSENT, apiCall, on404, present, type Mapper } from './api-call';
import { planUpsert, publicKeyId, type RegisteredKey } from './deploy-keys';
import { scrub, type RewriteContext } from './host-error';
import { requireToken, type ApiHostOptions } from './options';
import type {
  CloneKind,
  DeleteDeployKeyInput,
  DeleteRepositoryInput,
  DeployKeyInput,
  DeployKeyResult,
  EnsureRepositoryInput,
  GitHost,
  RegisteredDeployKey,
  RepositoryInfo,
  RepositoryRef,
} from './types';
import { gitlabEndpoints, httpsCloneUrl, sshCloneUrl, type Endpoints } from './urls';
import { resolveVisibility } from './visibility';

const TOKEN_REMEDY =
  'create a personal, group or project access token with the `api` scope (Settings > Access tokens) ' +
  'and pass it as token, e.g. from GITLAB_TOKEN; check it has not expired';
const SCOPE_REMEDY =
  'use a token with the `api` scope whose user is at least Maintainer of the project ' +
  '(Owner to delete it), or Developer+ in the group to create projects';

// The few fields we read; gitbeaker's own types are generic over camelize and expansion.
interface Project {
  id: number;
  default_branch?: string | null;
  empty_repo?: boolean;
  path_with_namespace: string;
}
interface Namespace {
  id: number;
  kind: string;
  full_path: string;
}
interface Key {
  id: number;
  title: string;
  key: string;
  can_push?: boolean;
}

export class GitLabHost implements GitHost {
  readonly kind = 'gitlab';
  readonly hostLabel: string;
  readonly syncTransport: CloneKind;
  private readonly endpoints: Endpoints;
  private readonly token: Secret<string>;
  private readonly api: InstanceType<typeof Gitlab>;
  private readonly log: (line: string) => void;

  constructor(opts: ApiHostOptions) {
    this.token = requireToken(opts.token, 'GITLAB_TOKEN');
    this.endpoints = gitlabEndpoints(opts.baseUrl, opts);
    this.hostLabel = this.endpoints.hostLabel;
    this.syncTransport = opts.syncTransport ?? 'ssh';
    const sink = opts.log ?? (() => undefined);
    this.log = (line) => sink(scrub(line, [this.token]));
    // gitbeaker appends /api/v4 to host itself
    this.api = new Gitlab({
      host: this.endpoints.apiUrl.replace(/\/api\/v4$/, ''),
      token: this.token.reveal(),
      queryTimeout: opts.timeoutMs ?? 60_000,
    });
  }

  cloneUrl(ref: RepositoryRef, kind: CloneKind): string {
    return kind === 'ssh'
      ? sshCloneUrl(this.endpoints.sshHost, ref.owner, ref.name)
      : httpsCloneUrl(this.endpoints.webUrl, ref.owner, ref.name);
  }

  async getRepository(ref: RepositoryRef): Promise<Omit<RepositoryInfo, 'created' | 'warnings'> | null> {
    const p = await this.call(
      `read project ${path(ref)}`,
      () => this.api.Projects.show(path(ref)) as Promise<unknown> as Promise<Project>,
      on404,
    );
    if (p === ABSENT) return null;
    return this.info(ref, p);
  }

  async ensureRepository(input: EnsureRepositoryInput): Promise<RepositoryInfo> {
    const warnings: string[] = [];
    if (input.teams && Object.keys(input.teams).length) {
      warnings.push('team access is not managed on GitLab: share the project with groups in its Members settings');
    }
    const existing = await this.getRepository(input);
    if (existing) return { ...existing, created: false, warnings };
    if (!input.create) {
      throw new InputError({
        field: 'repository',
        value: path(input),
        reason: `does not exist on ${this.hostLabel}, or the token cannot see it`,
        remedy: 'create it, give the token access to it, or set createRepository: true',
      });
    }
    const ns = present(
      await this.call(
        `read namespace ${input.owner}`,
        () => this.api.Namespaces.show(input.owner) as Promise<unknown> as Promise<Namespace>,
        (f) =>
          f.status === 404
            ? new InputError({
                field: 'owner',
                value: input.owner,
                reason: `no user or group "${input.owner}" on ${this.hostLabel} that the token can see (404)`,
                remedy: 'check the spelling (subgroups as "group/subgroup"); the token\'s user must be a member of the group',
              })
            : undefined,
      ),
    );
    const visibility = resolveVisibility(input, ['private', 'internal', 'public']);
    const taken: Mapper = (f) => (f.status === 400 && /has already been taken/i.test(f.message) ? ABSENT : undefined);
    const made = await this.call(
      `create project ${path(input)}`,
      () =>
        this.api.Projects.create({
          name: input.name,
          path: input.name,
          namespaceId: ns.id,
          visibility,
          defaultBranch: input.defaultBranch,
          description: input.description,
          initializeWithReadme: false,
        }) as Promise<unknown> as Promise<Project>,
      taken,
    );
    if (made === ABSENT) {
      const again = await this.getRepository(input); // created concurrently: adopt it
      if (again) return { ...again, created: false, warnings };
      throw new InputError({
        field: 'repository',
        value: path(input),
        reason: `is taken on ${this.hostLabel} but the token cannot see it`,
        remedy: 'give the token access to the project, or choose another name',
      });
    }
    this.log(`${this.hostLabel}: created project ${path(input)} (${visibility})`);
    return { ...this.info(input, made, input.defaultBranch), empty: true, created: true, warnings };
  }

  async deleteRepository(input: DeleteRepositoryInput): Promise<void> {
    const repo = await this.getRepository(input);
    if (!repo) return;
    if (!repo.empty && !input.force) {
      throw new InputError({
        field: 'repository',
        value: path(input),
        reason: 'has commits, so it is not deleted',
        remedy: 'delete it yourself, or set force to delete it with its history',
      });
    }
    await this.call(`delete project ${path(input)}`, () => this.api.Projects.remove(path(input)), on404);
  }

  async upsertDeployKey(input: DeployKeyInput): Promise<DeployKeyResult> {
    const readOnly = input.readOnly ?? true;
    const plan = planUpsert(await this.listKeys(input), { title: input.title, publicKey: input.publicKey, readOnly });
    if (plan.keep) return { id: plan.keep.id, changed: false };
    for (const k of plan.remove) await this.deleteKey(input, k.id);
    const made = present(
      await this.call(
        `add deploy key "${input.title}" to ${path(input)}`,
        () =>
          this.api.DeployKeys.create(path(input), input.title, publicKeyId(input.publicKey), {
            canPush: !readOnly,
          }) as Promise<unknown> as Promise<Key>,
        (f) =>
          f.status === 404
            ? new InputError({
                field: 'repository',
                value: path(input),
                reason: `not found on ${this.hostLabel} while adding the deploy key`,
                remedy: 'create the project first (createRepository: true), and check the token is Maintainer of it',
              })
            : f.status === 400 && /fingerprint|key/i.test(f.message)
              ? new InputError({
                  field: 'publicKey',
                  value: publicKeyId(input.publicKey).slice(0, 40) + '...',
                  reason: `rejected by ${this.hostLabel} (400 ${f.message})`,
                  remedy: "generate a new deploy key (leave the key inputs empty); GitLab refuses keys registered as a user's SSH key",
                })
              : undefined,
      ),
    );
    this.log(`${this.hostLabel}: deploy key "${input.title}" registered (${readOnly ? 'read-only' : 'read-write'})`);
    return { id: String(made.id), changed: true };
  }

  async getDeployKey(input: RepositoryRef & { id: string }): Promise<RegisteredDeployKey | null> {
    const keyId = Number(input.id);
    if (!Number.isInteger(keyId)) return null;
    const k = await this.call(
      `read deploy key ${input.id} of ${path(input)}`,
      () => this.api.DeployKeys.show(path(input), keyId) as Promise<unknown> as Promise<Key>,
      on404,
    );
    return k === ABSENT ? null : { id: String(k.id), title: k.title, key: k.key, readOnly: k.can_push !== true };
  }

  async deleteDeployKey(input: DeleteDeployKeyInput): Promise<void> {
    if ('id' in input) return this.deleteKey(input, input.id);
    for (const k of (await this.listKeys(input)).filter((k) => k.title === input.title)) await this.deleteKey(input, k.id);
  }

  // ------------------------------------------------------------------ helpers

  private info(ref: RepositoryRef, p: Project, wantedBranch?: string): Omit<RepositoryInfo, 'created' | 'warnings'> {
    const sshUrl = this.cloneUrl(ref, 'ssh');
    const httpsUrl = this.cloneUrl(ref, 'https');
    return {
      sshUrl,
      httpsUrl,
      syncUrl: this.syncTransport === 'ssh' ? sshUrl : httpsUrl,
      // an empty project has no default branch yet (null)
      defaultBranch: p.default_branch || wantedBranch || 'main',
      empty: p.empty_repo === true,
    };
  }

  private async listKeys(ref: RepositoryRef): Promise<RegisteredKey[]> {
    const keys = await this.call(
      `list deploy keys of ${path(ref)}`,
      () => this.api.DeployKeys.all({ projectId: path(ref), perPage: 100, maxPages: 20 }) as Promise<unknown> as Promise<Key[]>,
      on404,
    );
    if (keys === ABSENT) return [];
    return keys.map((k) => ({ id: String(k.id), title: k.title, key: k.key, readOnly: k.can_push !== true }));
  }

  private async deleteKey(ref: RepositoryRef, id: string): Promise<void> {
    const keyId = Number(id);
    if (!Number.isInteger(keyId))
      throw new InputError({
        field: 'deployKeyId',
        value: id,
        reason: 'must be a GitLab key id (a number)',
        remedy: 'use the id upsertDeployKey returned, or delete by title',
      });
    await this.call(`delete deploy key ${id} of ${path(ref)}`, () => this.api.DeployKeys.remove(path(ref), keyId), on404);
  }

  private call<T>(operation: string, fn: () => Promise<T>, map?: Mapper) {
    const ctx: RewriteContext = {
      host: this.hostLabel,
      operation,
      token: this.token,
      tokenRemedy: TOKEN_REMEDY,
      scopeRemedy: SCOPE_REMEDY,
    };
    return apiCall(ctx, fn, map);
  }
}

function path(ref: RepositoryRef): string {
  return `${ref.owner}/${ref.name}`;
}
