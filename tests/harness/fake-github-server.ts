// The fake GitHub API process (started by fake-github.ts): the REST endpoints GitHubHost calls,
// checked against GitHub's official OpenAPI description (@octokit/openapi, api.github.com),
// served under /api/v3 like GitHub Enterprise. Repositories are real bare repositories of the
// git-ssh service, and registered deploy keys become that sshd's grants (read_only -> ro), so
// only a registered key can clone, and deleting it revokes access.
//
// `node fake-github-server.js <config.json>`; state lives in this process only.
import * as fs from 'node:fs';
import type * as http from 'node:http';
import { branchesOf, headBranch } from './bare-branches';
import { createBareRepo, keyId, repoDir, setKeyGrants } from './git-ssh';
import { startFakeApi, type FakeRequest, type FakeResponse, type Handler } from './fake-api';
import {
  basicError,
  deployKey,
  fullRepository,
  privateUser,
  shortBranch,
  validationError,
  type FakeKey,
  type FakeRepo,
} from './fake-github-objects';
import { OpenApiCheck } from './openapi-check';

export interface FakeGitHubConfig {
  port: number;
  token: string;
  login: string;
  /** organizations the token's user belongs to, with their team slugs */
  orgs: Record<string, { teams: string[] }>;
  git: { stateDir: string; reposDir: string; port: number };
  logFile: string;
  /** the web (and git) URL when it is not http://127.0.0.1:<port> (the https App fake) */
  webUrl?: string;
}

export const GITHUB_OPERATIONS = [
  'GET /user',
  'GET /repos/{owner}/{repo}',
  'POST /user/repos',
  'POST /orgs/{org}/repos',
  'DELETE /repos/{owner}/{repo}',
  'GET /repos/{owner}/{repo}/branches',
  'GET /repos/{owner}/{repo}/keys',
  'POST /repos/{owner}/{repo}/keys',
  'GET /repos/{owner}/{repo}/keys/{key_id}',
  'DELETE /repos/{owner}/{repo}/keys/{key_id}',
  'PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
];

export function makeGitHubHandlers(cfg: FakeGitHubConfig): Record<string, Handler> {
  const web = cfg.webUrl ?? `http://127.0.0.1:${cfg.port}`;
  const api = `${web}/api/v3`;
  const sshBase = `ssh://git@127.0.0.1:${cfg.git.port}`;
  const started = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const repos = new Map<string, FakeRepo>(); // lower-case full name -> repo
  const keys = new Map<number, FakeKey[]>(); // repo id -> keys
  const teamAccess: Array<{ org: string; team: string; repo: string; permission: string }> = [];
  let nextId = 1000;
  const ids = new Map<string, number>([[cfg.login.toLowerCase(), 1]]);
  const ownerId = (o: string) => ids.get(o.toLowerCase()) ?? (ids.set(o.toLowerCase(), ++nextId), nextId);
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const notFound: FakeResponse = { status: 404, body: basicError('Not Found', 404) };
  const full = (r: FakeRepo) => `${r.owner}/${r.name}`;
  const find = (p: Record<string, string>) => repos.get(`${p.owner}/${p.repo}`.toLowerCase());

  const syncGrants = () =>
    setKeyGrants(
      cfg.git,
      'fake-github',
      [...repos.values()].flatMap((r) =>
        (keys.get(r.id) ?? []).map((k) => ({ publicKey: k.key, repo: full(r), access: k.readOnly ? ('ro' as const) : ('rw' as const) })),
      ),
    );

  const branches = (r: FakeRepo) => branchesOf(repoDir(cfg.git, full(r)));
  const repoJson = (r: FakeRepo) => {
    const dir = repoDir(cfg.git, full(r));
    return fullRepository(api, web, sshBase, r, headBranch(dir), branchesOf(dir).length ? now() : r.createdAt);
  };

  const create = (
    owner: string,
    ownerType: FakeRepo['ownerType'],
    body: Record<string, unknown>,
    visibility: FakeRepo['visibility'],
  ): FakeResponse => {
    const name = String(body.name);
    if (!/^[A-Za-z0-9_.-]+$/.test(name))
      return {
        status: 422,
        body: validationError('Repository creation failed.', [
          { resource: 'Repository', code: 'custom', field: 'name', message: 'name is invalid' },
        ]),
      };
    if (repos.has(`${owner}/${name}`.toLowerCase())) {
      return {
        status: 422,
        body: validationError('Repository creation failed.', [
          { resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' },
        ]),
      };
    }
    const r: FakeRepo = {
      id: ++nextId,
      owner,
      ownerType,
      ownerId: ownerId(owner),
      name,
      visibility,
      description: (body.description as string | undefined) ?? null,
      createdAt: now(),
    };
    createBareRepo(cfg.git, full(r), 'main');
    repos.set(full(r).toLowerCase(), r);
    return { status: 201, body: repoJson(r), headers: { location: `${api}/repos/${full(r)}` } };
  };

  return {
    'GET /user': () => ({ status: 200, body: privateUser(api, web, cfg.login, 1, started) }),
    'GET /repos/{owner}/{repo}': (q) => {
      const r = find(q.pathParams);
      return r ? { status: 200, body: repoJson(r) } : notFound;
    },
    'POST /user/repos': (q) => {
      const b = q.body as Record<string, unknown>;
      return create(cfg.login, 'User', b, b.private === true ? 'private' : 'public');
    },
    'POST /orgs/{org}/repos': (q) => {
      const org = Object.keys(cfg.orgs).find((o) => o.toLowerCase() === q.pathParams.org.toLowerCase());
      if (!org) return notFound;
      const b = q.body as Record<string, unknown>;
      return create(
        org,
        'Organization',
        b,
        (b.visibility as FakeRepo['visibility'] | undefined) ?? (b.private === true ? 'private' : 'public'),
      );
    },
    'DELETE /repos/{owner}/{repo}': (q) => {
      const r = find(q.pathParams);
      if (!r) return notFound;
      repos.delete(full(r).toLowerCase());
      keys.delete(r.id);
      fs.rmSync(repoDir(cfg.git, full(r)), { recursive: true, force: true });
      syncGrants();
      return { status: 204 };
    },
    'GET /repos/{owner}/{repo}/branches': (q) => {
      const r = find(q.pathParams);
      if (!r) return notFound;
      const { page, perPage } = paging(q);
      return {
        status: 200,
        body: branches(r)
          .slice((page - 1) * perPage, page * perPage)
          .map(([n, sha]) => shortBranch(api, full(r), n, sha)),
      };
    },
    'GET /repos/{owner}/{repo}/keys': (q) => {
      const r = find(q.pathParams);
      if (!r) return notFound;
      const { page, perPage } = paging(q);
      return {
        status: 200,
        body: (keys.get(r.id) ?? []).slice((page - 1) * perPage, page * perPage).map((k) => deployKey(api, full(r), k)),
      };
    },
    'POST /repos/{owner}/{repo}/keys': (q) => {
      const r = find(q.pathParams);
      if (!r) return notFound;
      const b = q.body as { title?: string; key: string; read_only?: boolean };
      let id: string;
      try {
        id = keyId(b.key);
      } catch {
        return {
          status: 422,
          body: validationError('Validation Failed', [
            {
              resource: 'PublicKey',
              code: 'custom',
              field: 'key',
              message: 'key is invalid. You must supply a key in OpenSSH public key format',
            },
          ]),
        };
      }
      // GitHub accepts a key once across all repositories and users
      const inUse = [...keys.values()].flat().some((k) => keyId(k.key) === id);
      if (inUse)
        return {
          status: 422,
          body: validationError('Validation Failed', [
            { resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' },
          ]),
        };
      const k: FakeKey = { id: ++nextId, title: b.title ?? '', key: id, readOnly: b.read_only !== false, createdAt: now() };
      keys.set(r.id, [...(keys.get(r.id) ?? []), k]);
      syncGrants();
      return { status: 201, body: deployKey(api, full(r), k), headers: { location: `${api}/repos/${full(r)}/keys/${k.id}` } };
    },
    'GET /repos/{owner}/{repo}/keys/{key_id}': (q) => {
      const r = find(q.pathParams);
      const k = r ? (keys.get(r.id) ?? []).find((x) => String(x.id) === q.pathParams.key_id) : undefined;
      return r && k ? { status: 200, body: deployKey(api, full(r), k) } : notFound;
    },
    'DELETE /repos/{owner}/{repo}/keys/{key_id}': (q) => {
      const r = find(q.pathParams);
      const list = r ? (keys.get(r.id) ?? []) : [];
      if (!r || !list.some((k) => String(k.id) === q.pathParams.key_id)) return notFound;
      keys.set(
        r.id,
        list.filter((k) => String(k.id) !== q.pathParams.key_id),
      );
      syncGrants();
      return { status: 204 };
    },
    'PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}': (q) => {
      const org = Object.entries(cfg.orgs).find(([o]) => o.toLowerCase() === q.pathParams.org.toLowerCase());
      const r = find(q.pathParams);
      if (!org || !r || !org[1].teams.includes(q.pathParams.team_slug)) return notFound;
      const permission = (q.body as { permission?: string } | undefined)?.permission ?? 'push';
      teamAccess.push({ org: org[0], team: q.pathParams.team_slug, repo: full(r), permission });
      return { status: 204 };
    },
  };
}

function paging(q: FakeRequest): { page: number; perPage: number } {
  return { page: Number(q.query.get('page') ?? 1), perPage: Number(q.query.get('per_page') ?? 30) };
}

export function startFakeGitHub(cfg: FakeGitHubConfig): Promise<http.Server> {
  const doc = require('@octokit/openapi/generated/api.github.com.json') as Record<string, unknown>;
  const check = new OpenApiCheck(doc, GITHUB_OPERATIONS);
  const reset = () => String(Math.floor(Date.now() / 1000) + 3600);
  return startFakeApi(
    {
      name: 'fake-github',
      prefix: '/api/v3',
      check,
      handlers: makeGitHubHandlers(cfg),
      authenticate: (h) => h.authorization === `token ${cfg.token}` || h.authorization === `Bearer ${cfg.token}`,
      unauthorized: { status: 401, body: basicError('Bad credentials', 401) },
      errorSchema: { $ref: '#/components/schemas/basic-error' },
      logFile: cfg.logFile,
      commonHeaders: () => ({
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-reset': reset(),
        'x-ratelimit-used': '1',
        'x-ratelimit-resource': 'core',
        'x-github-media-type': 'github.v3; format=json',
      }),
    },
    cfg.port,
  );
}

if (require.main === module) {
  const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as FakeGitHubConfig;
  startFakeGitHub(cfg).then(
    () => process.stdout.write(`fake-github listening on 127.0.0.1:${cfg.port}\n`),
    (e: Error) => {
      process.stderr.write(`${e.stack}\n`);
      process.exit(1);
    },
  );
}
