// GitHub (github.com and Enterprise Server) through Octokit, with retries for 5xx and
// GitHub's primary and secondary rate limits handled by the throttling plugin.
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { InputError } from '../errors';
import type { Secret } from '../secret';
import { githubApp, type GitHubApp } from './github-app';
import { planUpsert, publicKeyId, type RegisteredKey } from './deploy-keys';
import { ABSENT, apiCall, on404, present, type Mapper } from './api-call';
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
import { githubEndpoints, httpsCloneUrl, sshCloneUrl, type Endpoints } from './urls';
import { resolveVisibility } from './visibility';

const GitHubOctokit = Octokit.plugin(retry, throttling);
type Client = InstanceType<typeof GitHubOctokit>;

const TOKEN_REMEDY =
  'create a new token at https://github.com/settings/tokens (classic: scope `repo`; fine-grained: ' +
  'Administration and Contents read/write on the repository) and pass it as token, e.g. from GITHUB_TOKEN';
const SCOPE_REMEDY =
  'give the token the `repo` scope (classic) or Administration: read/write (fine-grained); ' +
  'deleting a repository also needs `delete_repo`; organizations may need SSO authorization of the token';

export class GitHubHost implements GitHost {
  readonly kind = 'github';
  readonly hostLabel: string;
  readonly syncTransport: CloneKind;
  private readonly endpoints: Endpoints;
  private readonly token: Secret<string>;
  private readonly client: Client;
  private readonly log: (line: string) => void;
  private login: string | undefined;
  /** set when authenticating as a GitHub App installation instead of with a token */
  readonly app: GitHubApp | undefined;

  constructor(opts: ApiHostOptions) {
    this.endpoints = githubEndpoints(opts.baseUrl, opts);
    this.app = opts.app ? githubApp(opts.app, this.endpoints.apiUrl, this.endpoints.hostLabel, (l) => this.log(l)) : undefined;
    // with an App, the private key is the secret every message is scrubbed of
    this.token = this.app ? this.app.privateKey : requireToken(opts.token, 'GITHUB_TOKEN');
    this.hostLabel = this.endpoints.hostLabel;
    this.syncTransport = opts.syncTransport ?? 'ssh';
    const sink = opts.log ?? (() => undefined);
    this.log = (line) => sink(scrub(line, [this.token]));
    const maxWait = opts.retry?.maxRateLimitWaitSeconds ?? 120;
    const onLimit = (kind: string) => (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
      const again = retryCount < 3 && retryAfter <= maxWait;
      this.log(
        `${this.hostLabel}: ${kind} rate limit on ${options.method} ${options.url}; ${again ? `retrying in ${retryAfter} s` : 'giving up'}`,
      );
      return again;
    };
    const app = this.app?.octokitOptions() as { request?: Record<string, unknown> } | undefined;
    this.client = new GitHubOctokit({
      ...(app ?? { auth: this.token.reveal() }),
      baseUrl: this.endpoints.apiUrl,
      userAgent: 'flux-bootstrap',
      request: { timeout: opts.timeoutMs ?? 60_000, ...app?.request },
      retry: { retries: opts.retry?.retries ?? 3, retryAfterBaseValue: opts.retry?.baseDelayMs ?? 1000 },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        retryAfterBaseValue: opts.retry?.baseDelayMs ?? 1000,
      },
      // failed requests are rewritten and thrown, so octokit's own error lines would be noise
      log: { debug: () => undefined, info: () => undefined, warn: (m: string) => this.log(m), error: () => undefined },
    });
  }

  cloneUrl(ref: RepositoryRef, kind: CloneKind): string {
    return kind === 'ssh'
      ? sshCloneUrl(this.endpoints.sshHost, ref.owner, ref.name)
      : httpsCloneUrl(this.endpoints.webUrl, ref.owner, ref.name);
  }

  async getRepository(ref: RepositoryRef): Promise<Omit<RepositoryInfo, 'created' | 'warnings'> | null> {
    const repo = await this.call(
      `read repository ${ref.owner}/${ref.name}`,
      () => this.client.repos.get({ owner: ref.owner, repo: ref.name }),
      on404,
    );
    if (repo === ABSENT) return null;
    return { ...this.urls(ref), defaultBranch: repo.data.default_branch, empty: await this.isEmpty(ref) };
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
        value: `${input.owner}/${input.name}`,
        reason: `does not exist on ${this.hostLabel}, or the token cannot see it`,
        remedy: 'create it, give the token access to it, or set createRepository: true',
      });
    }
    const personal = input.personal ?? (await this.isAuthenticatedUser(input.owner));
    const visibility = resolveVisibility(input, personal ? ['private', 'public'] : ['private', 'public', 'internal']);
    const op = `create repository ${input.owner}/${input.name}`;
    const alreadyThere: Mapper = (f) => (f.status === 422 && /already exists/i.test(f.message) ? ABSENT : undefined);
    const made = personal
      ? await this.call(
          op,
          () =>
            this.client.repos.createForAuthenticatedUser({
              name: input.name,
              description: input.description,
              private: visibility !== 'public',
              auto_init: false,
            }),
          alreadyThere,
        )
      : await this.call(
          op,
          () =>
            this.client.repos.createInOrg({
              org: input.owner,
              name: input.name,
              description: input.description,
              auto_init: false,
              // 'internal' exists on Enterprise only; api.github.com's types do not list it
              visibility: visibility as 'public' | 'private',
            }),
          (f) =>
            alreadyThere(f) ??
            (f.status === 404
              ? new InputError({
                  field: 'owner',
                  value: input.owner,
                  reason: `no organization "${input.owner}" on ${this.hostLabel} that the token can create repositories in (404)`,
                  remedy:
                    "check the spelling; for a repository under your own user set personal: true; the token's user must be a member allowed to create repositories",
                })
              : undefined),
        );
    if (made === ABSENT) {
      // created concurrently (another stack, a retried request): adopt it as existing
      const again = await this.getRepository(input);
      if (again) return { ...again, created: false, warnings };
      throw new InputError({
        field: 'repository',
        value: `${input.owner}/${input.name}`,
        reason: `exists on ${this.hostLabel} but the token cannot see it`,
        remedy: 'give the token access to the repository, or choose another name',
      });
    }
    this.log(`${this.hostLabel}: created repository ${input.owner}/${input.name} (${visibility})`);
    if (input.teams && !personal) warnings.push(...(await this.grantTeams(input, input.teams)));
    return {
      ...this.urls(input),
      defaultBranch: made.data.default_branch ?? input.defaultBranch ?? 'main',
      empty: true,
      created: true,
      warnings,
    };
  }

  async deleteRepository(input: DeleteRepositoryInput): Promise<void> {
    const repo = await this.getRepository(input);
    if (!repo) return;
    if (!repo.empty && !input.force) {
      throw new InputError({
        field: 'repository',
        value: `${input.owner}/${input.name}`,
        reason: 'has commits, so it is not deleted',
        remedy: 'delete it yourself, or set force to delete it with its history',
      });
    }
    await this.call(
      `delete repository ${input.owner}/${input.name}`,
      () => this.client.repos.delete({ owner: input.owner, repo: input.name }),
      on404,
    );
  }

  async upsertDeployKey(input: DeployKeyInput): Promise<DeployKeyResult> {
    const readOnly = input.readOnly ?? true;
    const plan = planUpsert(await this.listKeys(input), { title: input.title, publicKey: input.publicKey, readOnly });
    if (plan.keep) return { id: plan.keep.id, changed: false };
    for (const k of plan.remove) await this.deleteKey(input, k.id);
    const op = `add deploy key "${input.title}" to ${input.owner}/${input.name}`;
    const made = present(
      await this.call(
        op,
        () =>
          this.client.repos.createDeployKey({
            owner: input.owner,
            repo: input.name,
            title: input.title,
            key: publicKeyId(input.publicKey),
            read_only: readOnly,
          }),
        (f) =>
          f.status === 422 && /already in use/i.test(f.message)
            ? new InputError({
                field: 'publicKey',
                value: publicKeyId(input.publicKey).slice(0, 40) + '...',
                reason: `${this.hostLabel} already has this key registered on another repository or user (422 key is already in use)`,
                remedy:
                  'generate a new deploy key for this repository (leave the key inputs empty), or remove the key where it is registered',
              })
            : f.status === 404
              ? new InputError({
                  field: 'repository',
                  value: `${input.owner}/${input.name}`,
                  reason: `not found on ${this.hostLabel} while adding the deploy key`,
                  remedy: 'create the repository first (createRepository: true), and check the token can administer it',
                })
              : undefined,
      ),
    );
    this.log(`${this.hostLabel}: deploy key "${input.title}" registered (${readOnly ? 'read-only' : 'read-write'})`);
    return { id: String(made.data.id), changed: true };
  }

  async getDeployKey(input: RepositoryRef & { id: string }): Promise<RegisteredDeployKey | null> {
    const keyId = Number(input.id);
    if (!Number.isInteger(keyId)) return null; // not an id GitHub gave: no key of ours
    const k = await this.call(
      `read deploy key ${input.id} of ${input.owner}/${input.name}`,
      () => this.client.repos.getDeployKey({ owner: input.owner, repo: input.name, key_id: keyId }),
      on404,
    );
    return k === ABSENT ? null : { id: String(k.data.id), title: k.data.title, key: k.data.key, readOnly: k.data.read_only };
  }

  async deleteDeployKey(input: DeleteDeployKeyInput): Promise<void> {
    if ('id' in input) return this.deleteKey(input, input.id);
    for (const k of (await this.listKeys(input)).filter((k) => k.title === input.title)) await this.deleteKey(input, k.id);
  }

  // ------------------------------------------------------------------ helpers

  private urls(ref: RepositoryRef): Pick<RepositoryInfo, 'httpsUrl' | 'sshUrl' | 'syncUrl'> {
    const sshUrl = this.cloneUrl(ref, 'ssh');
    const httpsUrl = this.cloneUrl(ref, 'https');
    return { sshUrl, httpsUrl, syncUrl: this.syncTransport === 'ssh' ? sshUrl : httpsUrl };
  }

  private async isEmpty(ref: RepositoryRef): Promise<boolean> {
    const r = await this.call(
      `list branches of ${ref.owner}/${ref.name}`,
      () => this.client.repos.listBranches({ owner: ref.owner, repo: ref.name, per_page: 1 }),
      (f) => (f.status === 409 ? ABSENT : undefined),
    );
    return r === ABSENT || r.data.length === 0; // 409 "Git Repository is empty"
  }

  private async isAuthenticatedUser(owner: string): Promise<boolean> {
    // an installation on a user account is that user's; GET /user is not open to installations
    if (this.app) {
      const i = await this.app.installation();
      return i.type === 'User' && i.account.toLowerCase() === owner.toLowerCase();
    }
    if (this.login === undefined) {
      const me = present(await this.call('read the authenticated user', () => this.client.users.getAuthenticated()));
      this.login = me.data.login;
    }
    return this.login.toLowerCase() === owner.toLowerCase();
  }

  private async grantTeams(ref: RepositoryRef, teams: Record<string, string>): Promise<string[]> {
    const warnings: string[] = [];
    for (const [team, permission] of Object.entries(teams)) {
      try {
        await this.call(
          `grant team ${team} access to ${ref.owner}/${ref.name}`,
          () =>
            this.client.teams.addOrUpdateRepoPermissionsInOrg({
              org: ref.owner,
              team_slug: team,
              owner: ref.owner,
              repo: ref.name,
              permission: permission || 'maintain',
            }),
          (f) => (f.status === 404 ? new Error(`no team "${team}" in organization ${ref.owner} visible to the token (404)`) : undefined),
        );
      } catch (e) {
        const w = `could not grant team "${team}" ${permission || 'maintain'} access to ${ref.owner}/${ref.name}: ${(e as Error).message}`;
        warnings.push(w);
        this.log(`${this.hostLabel}: ${w}`);
      }
    }
    return warnings;
  }

  private async listKeys(ref: RepositoryRef): Promise<RegisteredKey[]> {
    const op = `list deploy keys of ${ref.owner}/${ref.name}`;
    const keys = await this.call(op, () =>
      this.client.paginate(this.client.repos.listDeployKeys, { owner: ref.owner, repo: ref.name, per_page: 100 }),
    );
    if (keys === ABSENT) return [];
    return keys.map((k) => ({ id: String(k.id), title: k.title, key: k.key, readOnly: k.read_only }));
  }

  private async deleteKey(ref: RepositoryRef, id: string): Promise<void> {
    const keyId = Number(id);
    if (!Number.isInteger(keyId))
      throw new InputError({
        field: 'deployKeyId',
        value: id,
        reason: 'must be a GitHub key id (a number)',
        remedy: 'use the id upsertDeployKey returned, or delete by title',
      });
    await this.call(
      `delete deploy key ${id} of ${ref.owner}/${ref.name}`,
      () => this.client.repos.deleteDeployKey({ owner: ref.owner, repo: ref.name, key_id: keyId }),
      on404,
    );
  }

  private call<T>(operation: string, fn: () => Promise<T>, map?: Mapper) {
    const ctx: RewriteContext = {
      host: this.hostLabel,
      operation,
      token: this.token,
      tokenRemedy: TOKEN_REMEDY,
      scopeRemedy: SCOPE_REMEDY,
    };
    const app = this.app;
    if (!app) return apiCall(ctx, fn, map);
    // an installation's 401/403 is about the App (key, installation, permissions), not a token
    return apiCall(
      ctx,
      fn,
      (f) =>
        map?.(f) ??
        (f.status === 401
          ? app.rewrite(f, operation)
          : f.status === 403 && !/rate limit/i.test(f.message)
            ? new InputError({
                field: 'auth.installationId',
                value: app.installationId,
                reason: `the App installation may not ${operation} on ${this.hostLabel} (${f.status} ${f.message})`,
                remedy:
                  'grant the App Administration and Contents read/write, and install it on this repository (or all repositories of the owner)',
              })
            : undefined),
    );
  }
}
