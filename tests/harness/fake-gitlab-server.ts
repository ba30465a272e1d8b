// The fake GitLab API process (started by fake-gitlab.ts): the REST v4 endpoints GitLabHost
// calls through @gitbeaker/rest, checked against the hand-kept description in
// fake-gitlab-schema.ts. Projects are real bare repositories of the git-ssh service and deploy
// keys become its grants (can_push -> rw), like fake-github.
//
// `node fake-gitlab-server.js <config.json>`
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import { branchesOf, headBranch } from './bare-branches';
import { createBareRepo, keyId, repoDir, setKeyGrants } from './git-ssh';
import { startFakeApi, type FakeResponse, type Handler } from './fake-api';
import { GITLAB_OPENAPI } from './fake-gitlab-schema';
import { OpenApiCheck } from './openapi-check';

export interface FakeGitLabConfig {
  port: number;
  token: string;
  login: string;
  /** group full paths the user may create projects in (subgroups as a/b) */
  groups: string[];
  git: { stateDir: string; reposDir: string; port: number };
  logFile: string;
}

interface Namespace {
  id: number;
  path: string;
  fullPath: string;
  kind: 'user' | 'group';
  parentId: number | null;
}
interface Project {
  id: number;
  ns: Namespace;
  path: string;
  name: string;
  description: string | null;
  visibility: string;
  createdAt: string;
  wantedBranch: string | null;
}
interface Key {
  id: number;
  title: string;
  key: string;
  canPush: boolean;
  createdAt: string;
}

export const GITLAB_OPERATIONS = [
  'GET /user',
  'GET /namespaces/{id}',
  'POST /projects',
  'GET /projects/{id}',
  'DELETE /projects/{id}',
  'GET /projects/{id}/deploy_keys',
  'POST /projects/{id}/deploy_keys',
  'DELETE /projects/{id}/deploy_keys/{key_id}',
  'GET /projects/{id}/deploy_keys/{key_id}',
];

function fingerprint(key: string): string {
  return `SHA256:${createHash('sha256')
    .update(Buffer.from(key.split(' ')[1], 'base64'))
    .digest('base64')
    .replace(/=+$/, '')}`;
}

export function makeGitLabHandlers(cfg: FakeGitLabConfig): Record<string, Handler> {
  const web = `http://127.0.0.1:${cfg.port}`;
  const now = () => new Date().toISOString();
  const namespaces: Namespace[] = [{ id: 1, path: cfg.login, fullPath: cfg.login, kind: 'user', parentId: null }];
  for (const g of cfg.groups) {
    const parent = namespaces.find((n) => n.fullPath === g.split('/').slice(0, -1).join('/'));
    namespaces.push({ id: namespaces.length + 1, path: g.split('/').pop()!, fullPath: g, kind: 'group', parentId: parent?.id ?? null });
  }
  const projects = new Map<number, Project>();
  const keys = new Map<number, Key[]>();
  let nextId = 100;
  const notFound = (what: string): FakeResponse => ({ status: 404, body: { message: `404 ${what} Not Found` } });
  const full = (p: Project) => `${p.ns.fullPath}/${p.path}`;
  // :id is a number or a URL-encoded full path (already decoded by the router)
  const find = (idOrPath: string) =>
    [...projects.values()].find((p) => String(p.id) === idOrPath || full(p).toLowerCase() === idOrPath.toLowerCase());

  const nsJson = (n: Namespace) => ({
    id: n.id,
    name: n.path,
    path: n.path,
    kind: n.kind,
    full_path: n.fullPath,
    parent_id: n.parentId,
    avatar_url: null,
    web_url: `${web}/${n.fullPath}`,
  });
  const projectJson = (p: Project) => {
    const dir = repoDir(cfg.git, full(p));
    const empty = branchesOf(dir).length === 0;
    return {
      id: p.id,
      name: p.name,
      path: p.path,
      path_with_namespace: full(p),
      name_with_namespace: `${p.ns.fullPath} / ${p.name}`,
      description: p.description,
      default_branch: empty ? null : headBranch(dir, p.wantedBranch ?? 'main'),
      visibility: p.visibility,
      ssh_url_to_repo: `ssh://git@127.0.0.1:${cfg.git.port}/${full(p)}.git`,
      http_url_to_repo: `${web}/${full(p)}.git`,
      web_url: `${web}/${full(p)}`,
      namespace: nsJson(p.ns),
      empty_repo: empty,
      archived: false,
      created_at: p.createdAt,
    };
  };
  const keyJson = (k: Key) => ({
    id: k.id,
    title: k.title,
    key: k.key,
    created_at: k.createdAt,
    can_push: k.canPush,
    fingerprint_sha256: fingerprint(k.key),
    expires_at: null,
  });
  const syncGrants = () =>
    setKeyGrants(
      cfg.git,
      'fake-gitlab',
      [...projects.values()].flatMap((p) =>
        (keys.get(p.id) ?? []).map((k) => ({ publicKey: k.key, repo: full(p), access: k.canPush ? ('rw' as const) : ('ro' as const) })),
      ),
    );

  return {
    'GET /user': () => ({
      status: 200,
      body: { id: 1, username: cfg.login, name: cfg.login, state: 'active', web_url: `${web}/${cfg.login}` },
    }),
    'GET /namespaces/{id}': (q) => {
      const n = namespaces.find((x) => String(x.id) === q.pathParams.id || x.fullPath.toLowerCase() === q.pathParams.id.toLowerCase());
      return n ? { status: 200, body: nsJson(n) } : notFound('Namespace');
    },
    'POST /projects': (q) => {
      const b = q.body as {
        name?: string;
        path?: string;
        namespace_id?: number | string;
        description?: string;
        visibility?: string;
        default_branch?: string;
      };
      const ns = b.namespace_id === undefined ? namespaces[0] : namespaces.find((n) => n.id === Number(b.namespace_id));
      if (!ns) return notFound('Namespace');
      const path = b.path ?? b.name!;
      if ([...projects.values()].some((p) => p.ns === ns && p.path.toLowerCase() === path.toLowerCase())) {
        return { status: 400, body: { message: { name: ['has already been taken'], path: ['has already been taken'] } } };
      }
      const p: Project = {
        id: ++nextId,
        ns,
        path,
        name: b.name ?? path,
        description: b.description ?? null,
        visibility: b.visibility ?? 'private',
        createdAt: now(),
        wantedBranch: b.default_branch ?? null,
      };
      createBareRepo(cfg.git, full(p), p.wantedBranch ?? 'main');
      projects.set(p.id, p);
      return { status: 201, body: projectJson(p) };
    },
    'GET /projects/{id}': (q) => {
      const p = find(q.pathParams.id);
      return p ? { status: 200, body: projectJson(p) } : notFound('Project');
    },
    'DELETE /projects/{id}': (q) => {
      const p = find(q.pathParams.id);
      if (!p) return notFound('Project');
      projects.delete(p.id);
      keys.delete(p.id);
      fs.rmSync(repoDir(cfg.git, full(p)), { recursive: true, force: true });
      syncGrants();
      return { status: 202, body: { message: '202 Accepted' } };
    },
    'GET /projects/{id}/deploy_keys': (q) => {
      const p = find(q.pathParams.id);
      if (!p) return notFound('Project');
      const page = Number(q.query.get('page') ?? 1);
      const per = Number(q.query.get('per_page') ?? 20);
      const all = keys.get(p.id) ?? [];
      const pages = Math.max(1, Math.ceil(all.length / per));
      return {
        status: 200,
        body: all.slice((page - 1) * per, page * per).map(keyJson),
        headers: {
          'x-page': String(page),
          'x-per-page': String(per),
          'x-total': String(all.length),
          'x-total-pages': String(pages),
          'x-next-page': page < pages ? String(page + 1) : '',
        },
      };
    },
    'POST /projects/{id}/deploy_keys': (q) => {
      const p = find(q.pathParams.id);
      if (!p) return notFound('Project');
      const b = q.body as { title: string; key: string; can_push?: boolean };
      let id: string;
      try {
        id = keyId(b.key);
      } catch {
        return { status: 400, body: { message: { key: ['is invalid'] } } };
      }
      if ((keys.get(p.id) ?? []).some((k) => k.key === id))
        return { status: 400, body: { message: { 'deploy_key.fingerprint_sha256': ['has already been taken'] } } };
      const k: Key = { id: ++nextId, title: b.title, key: id, canPush: b.can_push === true, createdAt: now() };
      keys.set(p.id, [...(keys.get(p.id) ?? []), k]);
      syncGrants();
      return { status: 201, body: keyJson(k) };
    },
    'GET /projects/{id}/deploy_keys/{key_id}': (q) => {
      const p = find(q.pathParams.id);
      const k = p ? (keys.get(p.id) ?? []).find((x) => String(x.id) === q.pathParams.key_id) : undefined;
      return p && k ? { status: 200, body: keyJson(k) } : notFound(p ? 'Deploy Key' : 'Project');
    },
    'DELETE /projects/{id}/deploy_keys/{key_id}': (q) => {
      const p = find(q.pathParams.id);
      const list = p ? (keys.get(p.id) ?? []) : [];
      if (!p || !list.some((k) => String(k.id) === q.pathParams.key_id)) return notFound('Deploy Key');
      keys.set(
        p.id,
        list.filter((k) => String(k.id) !== q.pathParams.key_id),
      );
      syncGrants();
      return { status: 204 };
    },
  };
}

export function startFakeGitLab(cfg: FakeGitLabConfig): Promise<http.Server> {
  return startFakeApi(
    {
      name: 'fake-gitlab',
      prefix: '/api/v4',
      check: new OpenApiCheck(GITLAB_OPENAPI, GITLAB_OPERATIONS),
      handlers: makeGitLabHandlers(cfg),
      authenticate: (h) => h['private-token'] === cfg.token || h.authorization === `Bearer ${cfg.token}`,
      unauthorized: { status: 401, body: { message: '401 Unauthorized' } },
      errorSchema: { $ref: '#/components/schemas/error' },
      logFile: cfg.logFile,
      commonHeaders: () => ({ 'ratelimit-limit': '2000', 'ratelimit-remaining': '1999' }),
    },
    cfg.port,
  );
}

if (require.main === module) {
  const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as FakeGitLabConfig;
  startFakeGitLab(cfg).then(
    () => process.stdout.write(`fake-gitlab listening on 127.0.0.1:${cfg.port}\n`),
    (e: Error) => {
      process.stderr.write(`${e.stack}\n`);
      process.exit(1);
    },
  );
}
