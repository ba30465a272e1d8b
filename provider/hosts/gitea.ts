// Gitea (and Forgejo, which keeps the same API) through its REST API with fetch: no client
// library, the handful of endpoints flux bootstrap gitea uses.
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
import { giteaEndpoints, httpsCloneUrl, sshCloneUrl, type Endpoints } from './urls';
import { resolveVisibility } from './visibility';

const TOKEN_REMEDY =
  'create an access token (Settings > Applications) with write:repository, write:organization and ' +
  'read:user scopes and pass it as token, e.g. from GITEA_TOKEN';
const SCOPE_REMEDY =
  'give the token write:repository (and write:organization for organization repositories); ' +
  'its user must be an owner or admin of the repository';

interface Repo {
  empty?: boolean;
  default_branch?: string;
}
interface Key {
  id: number;
  title: string;
  key: string;
  read_only?: boolean;
}

export class GiteaHost implements GitHost {
  readonly kind = 'gitea';
  readonly hostLabel: string;
  readonly syncTransport: CloneKind;
  private readonly endpoints: Endpoints;
  private readonly token: Secret<string>;
  private readonly log: (line: string) => void;
  private readonly timeoutMs: number;
  private login: string | undefined;

  constructor(opts: ApiHostOptions) {
    this.token = requireToken(opts.token, 'GITEA_TOKEN');
    this.endpoints = giteaEndpoints(opts.baseUrl, opts);
    this.hostLabel = this.endpoints.hostLabel;
    this.syncTransport = opts.syncTransport ?? 'ssh';
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    const sink = opts.log ?? (() => undefined);
    this.log = (line) => sink(scrub(line, [this.token]));
  }

  cloneUrl(ref: RepositoryRef, kind: CloneKind): string {
    return kind === 'ssh'
      ? sshCloneUrl(this.endpoints.sshHost, ref.owner, ref.name)
      : httpsCloneUrl(this.endpoints.webUrl, ref.owner, ref.name);
  }

  async getRepository(ref: RepositoryRef): Promise<Omit<RepositoryInfo, 'created' | 'warnings'> | null> {
    const r = await this.call<Repo>(`read repository ${path(ref)}`, 'GET', `/repos/${seg(ref.owner)}/${seg(ref.name)}`, undefined, on404);
    if (r === ABSENT) return null;
    // Gitea clears `empty` (and lists branches) only once its push queue ran; the refs endpoint
    // reads the git repository itself, so a push a moment ago already counts
    const empty = r.empty === true && (await this.refsAbsent(ref));
    return { ...this.info(ref, r), empty };
  }

  private async refsAbsent(ref: RepositoryRef): Promise<boolean> {
    const refs = await this.call<unknown[]>(
      `read branches of ${path(ref)}`,
      'GET',
      `/repos/${seg(ref.owner)}/${seg(ref.name)}/git/refs/heads`,
      undefined,
      on404,
    );
    return refs === ABSENT || !Array.isArray(refs) || refs.length === 0;
  }

  async ensureRepository(input: EnsureRepositoryInput): Promise<RepositoryInfo> {
    const existing = await this.getRepository(input);
    const warnings: string[] = [];
    if (existing) {
      if (input.teams) warnings.push(...(await this.grantTeams(input, input.teams)));
      return { ...existing, created: false, warnings };
    }
    if (!input.create) {
      throw new InputError({
        field: 'repository',
        value: path(input),
        reason: `does not exist on ${this.hostLabel}, or the token cannot see it`,
        remedy: 'create it, give the token access to it, or set createRepository: true',
      });
    }
    const personal = input.personal ?? (await this.isAuthenticatedUser(input.owner));
    const visibility = resolveVisibility(input, ['private', 'public']);
    const body = {
      name: input.name,
      description: input.description ?? '',
      private: visibility === 'private',
      default_branch: input.defaultBranch,
      auto_init: false,
    };
    const exists: Mapper = (f) => (f.status === 409 ? ABSENT : undefined);
    const made = personal
      ? await this.call<Repo>(`create repository ${path(input)}`, 'POST', '/user/repos', body, exists)
      : await this.call<Repo>(
          `create repository ${path(input)}`,
          'POST',
          `/orgs/${seg(input.owner)}/repos`,
          body,
          (f) =>
            exists(f) ??
            (f.status === 404 || f.status === 422
              ? new InputError({
                  field: 'owner',
                  value: input.owner,
                  reason: `no organization "${input.owner}" on ${this.hostLabel} that the token can create repositories in (${f.status} ${f.message})`,
                  remedy:
                    "check the spelling; for a repository under your own user set personal: true; the token's user must own the organization or be in a team that may create repositories",
                })
              : undefined),
        );
    if (made === ABSENT) {
      const again = await this.getRepository(input);
      if (again) return { ...again, created: false, warnings };
      throw new InputError({
        field: 'repository',
        value: path(input),
        reason: `exists on ${this.hostLabel} but the token cannot see it`,
        remedy: 'give the token access, or choose another name',
      });
    }
    this.log(`${this.hostLabel}: created repository ${path(input)} (${visibility})`);
    if (input.teams && !personal) warnings.push(...(await this.grantTeams(input, input.teams)));
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
    await this.call(`delete repository ${path(input)}`, 'DELETE', `/repos/${seg(input.owner)}/${seg(input.name)}`, undefined, on404);
  }

  async upsertDeployKey(input: DeployKeyInput): Promise<DeployKeyResult> {
    const readOnly = input.readOnly ?? true;
    const plan = planUpsert(await this.listKeys(input), { title: input.title, publicKey: input.publicKey, readOnly });
    if (plan.keep) return { id: plan.keep.id, changed: false };
    for (const k of plan.remove) await this.deleteKey(input, k.id);
    const made = present(
      await this.call<Key>(
        `add deploy key "${input.title}" to ${path(input)}`,
        'POST',
        `/repos/${seg(input.owner)}/${seg(input.name)}/keys`,
        { title: input.title, key: publicKeyId(input.publicKey), read_only: readOnly },
        (f) =>
          f.status === 422
            ? new InputError({
                field: 'publicKey',
                value: publicKeyId(input.publicKey).slice(0, 40) + '...',
                reason: `rejected by ${this.hostLabel} (422 ${f.message})`,
                remedy:
                  'generate a new deploy key (leave the key inputs empty); Gitea refuses a key already used as a user key or on another repository',
              })
            : f.status === 404
              ? new InputError({
                  field: 'repository',
                  value: path(input),
                  reason: `not found on ${this.hostLabel} while adding the deploy key`,
                  remedy: 'create the repository first (createRepository: true)',
                })
              : undefined,
      ),
    );
    this.log(`${this.hostLabel}: deploy key "${input.title}" registered (${readOnly ? 'read-only' : 'read-write'})`);
    return { id: String(made.id), changed: true };
  }

  async getDeployKey(input: RepositoryRef & { id: string }): Promise<RegisteredDeployKey | null> {
    if (!/^\d+$/.test(input.id)) return null;
    const k = await this.call<Key>(
      `read deploy key ${input.id} of ${path(input)}`,
      'GET',
      `/repos/${seg(input.owner)}/${seg(input.name)}/keys/${input.id}`,
      undefined,
      on404,
    );
    return k === ABSENT ? null : { id: String(k.id), title: k.title, key: k.key, readOnly: k.read_only !== false };
  }

  async deleteDeployKey(input: DeleteDeployKeyInput): Promise<void> {
    if ('id' in input) return this.deleteKey(input, input.id);
    for (const k of (await this.listKeys(input)).filter((k) => k.title === input.title)) await this.deleteKey(input, k.id);
  }

  // ------------------------------------------------------------------ helpers

  private info(ref: RepositoryRef, r: Repo, wantedBranch?: string): Omit<RepositoryInfo, 'created' | 'warnings'> {
    const sshUrl = this.cloneUrl(ref, 'ssh');
    const httpsUrl = this.cloneUrl(ref, 'https');
    return {
      sshUrl,
      httpsUrl,
      syncUrl: this.syncTransport === 'ssh' ? sshUrl : httpsUrl,
      defaultBranch: r.default_branch || wantedBranch || 'main',
      empty: r.empty === true,
    };
  }

  private async isAuthenticatedUser(owner: string): Promise<boolean> {
    this.login ??= present(await this.call<{ login: string }>('read the authenticated user', 'GET', '/user')).login;
    return this.login.toLowerCase() === owner.toLowerCase();
  }

  private async grantTeams(ref: RepositoryRef, teams: Record<string, string>): Promise<string[]> {
    const warnings: string[] = [];
    for (const team of Object.keys(teams)) {
      try {
        // Gitea teams carry their own permission; a repository is only added to the team
        const found = present(
          await this.call<{ data?: Array<{ id: number; name: string }> }>(
            `find team ${team}`,
            'GET',
            `/orgs/${seg(ref.owner)}/teams/search?q=${encodeURIComponent(team)}`,
          ),
        );
        const t = found.data?.find((x) => x.name.toLowerCase() === team.toLowerCase());
        if (!t) throw new Error(`no team "${team}" in organization ${ref.owner}`);
        await this.call(`add ${path(ref)} to team ${team}`, 'PUT', `/teams/${t.id}/repos/${seg(ref.owner)}/${seg(ref.name)}`);
      } catch (e) {
        const w = `could not give team "${team}" access: ${(e as Error).message}`;
        warnings.push(w);
        this.log(`${this.hostLabel}: ${w}`);
      }
    }
    return warnings;
  }

  private async listKeys(ref: RepositoryRef): Promise<RegisteredKey[]> {
    const out: RegisteredKey[] = [];
    for (let page = 1; page <= 50; page++) {
      const keys = await this.call<Key[]>(
        `list deploy keys of ${path(ref)}`,
        'GET',
        `/repos/${seg(ref.owner)}/${seg(ref.name)}/keys?page=${page}&limit=50`,
        undefined,
        on404,
      );
      if (keys === ABSENT) return out;
      out.push(...keys.map((k) => ({ id: String(k.id), title: k.title, key: k.key, readOnly: k.read_only !== false })));
      if (keys.length < 50) break;
    }
    return out;
  }

  private async deleteKey(ref: RepositoryRef, id: string): Promise<void> {
    if (!/^\d+$/.test(id))
      throw new InputError({
        field: 'deployKeyId',
        value: id,
        reason: 'must be a Gitea key id (a number)',
        remedy: 'use the id upsertDeployKey returned, or delete by title',
      });
    await this.call(
      `delete deploy key ${id} of ${path(ref)}`,
      'DELETE',
      `/repos/${seg(ref.owner)}/${seg(ref.name)}/keys/${id}`,
      undefined,
      on404,
    );
  }

  private call<T>(operation: string, method: string, url: string, body?: unknown, map?: Mapper) {
    const ctx: RewriteContext = {
      host: this.hostLabel,
      operation,
      token: this.token,
      tokenRemedy: TOKEN_REMEDY,
      scopeRemedy: SCOPE_REMEDY,
    };
    return apiCall<T>(ctx, () => this.request<T>(method, url, body), map);
  }

  /** Throws the shape failureOf() reads: { status, response: { data } }. */
  private async request<T>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.endpoints.apiUrl}${url}`, {
      method,
      headers: {
        authorization: `token ${this.token.reveal()}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    if (!res.ok)
      throw Object.assign(new Error(`${method} ${url}: ${res.status}`), { status: res.status, response: { status: res.status, data } });
    return data as T;
  }
}

function path(ref: RepositoryRef): string {
  return `${ref.owner}/${ref.name}`;
}

function seg(s: string): string {
  return encodeURIComponent(s);
}
