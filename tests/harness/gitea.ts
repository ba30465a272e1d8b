// Service `gitea`: a real Gitea (built from code.gitea.io/gitea by gitea-build.ts), sqlite,
// HTTP API on a loopback port and its built-in SSH server on another, with an admin user,
// an access token for it and an organization. Nothing is shared with the machine: config,
// data, repositories and logs live under the service's workDir.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureDebianPackages } from './apt';
import { progress } from './cache';
import { buildGitea, GITEA_VERSION } from './gitea-build';
import { freePort, waitForPort } from './ports';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';

export interface GiteaInfo {
  /** give this as GiteaHost's baseUrl */
  baseUrl: string;
  apiUrl: string;
  /** an access token of the admin user, all scopes */
  token: string;
  login: string;
  /** an organization owned by the admin, with a team `platform` */
  org: string;
  /** ssh host:port of the built-in SSH server, for clone URLs */
  sshHost: string;
  knownHosts: string;
  version: string;
  logFile: string;
}

function layout(workDir: string) {
  return {
    config: path.join(workDir, 'custom', 'conf', 'app.ini'),
    pidFile: path.join(workDir, 'pids', 'gitea.pid'),
    logFile: path.join(workDir, 'gitea.log'),
  };
}

function appIni(workDir: string, staticRoot: string, httpPort: number, sshPort: number, secrets: Record<string, string>): string {
  const user = os.userInfo().username;
  return `; written by tests/harness/gitea.ts
APP_NAME = flux-bootstrap test Gitea
RUN_USER = ${user}
RUN_MODE = prod
WORK_PATH = ${workDir}
; the harness runs as root in CI containers; Gitea refuses that unless told
I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = true

[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = ${httpPort}
DOMAIN = 127.0.0.1
ROOT_URL = http://127.0.0.1:${httpPort}/
APP_DATA_PATH = ${workDir}/data
STATIC_ROOT_PATH = ${staticRoot}
DISABLE_SSH = false
START_SSH_SERVER = true
SSH_DOMAIN = 127.0.0.1
SSH_LISTEN_HOST = 127.0.0.1
SSH_PORT = ${sshPort}
SSH_LISTEN_PORT = ${sshPort}
BUILTIN_SSH_SERVER_USER = git
OFFLINE_MODE = true
LFS_START_SERVER = false

[database]
DB_TYPE = sqlite3
PATH = ${workDir}/data/gitea.db

[repository]
ROOT = ${workDir}/repositories
DEFAULT_BRANCH = main

[security]
INSTALL_LOCK = true
SECRET_KEY = ${secrets.SECRET_KEY}
INTERNAL_TOKEN = ${secrets.INTERNAL_TOKEN}
PASSWORD_HASH_ALGO = pbkdf2

[oauth2]
ENABLED = false

[service]
DISABLE_REGISTRATION = true

[mailer]
ENABLED = false

[session]
PROVIDER = memory

[cache]
ADAPTER = memory

[queue]
TYPE = channel

[indexer]
ISSUE_INDEXER_TYPE = db
REPO_INDEXER_ENABLED = false

[actions]
ENABLED = false

[packages]
ENABLED = false

[cron.update_checker]
ENABLED = false

[log]
MODE = console
LEVEL = Info
ROOT_PATH = ${workDir}/log
`;
}

async function api(base: string, token: string, method: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`gitea ${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

export const giteaService: Service<GiteaInfo> = {
  name: 'gitea',
  async start(workDir) {
    ensureDebianPackages([
      { pkg: 'git', file: '/usr/bin/git' },
      { pkg: 'openssh-client', file: '/usr/bin/ssh-keyscan' },
    ]);
    const { bin, staticRoot } = buildGitea();
    const { config, pidFile, logFile } = layout(workDir);
    fs.mkdirSync(path.dirname(config), { recursive: true });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: path.join(workDir, 'home'),
      USER: os.userInfo().username,
      GITEA_WORK_DIR: workDir,
      GITEA_CUSTOM: path.join(workDir, 'custom'),
      LANG: 'C',
    };
    fs.mkdirSync(env.HOME!, { recursive: true });
    const run = (args: string[]) => {
      try {
        return execFileSync(bin, [...args, '--config', config, '--work-path', workDir], {
          env,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 300_000,
        }).trim();
      } catch (e) {
        const err = e as { stderr?: string; stdout?: string };
        throw new Error(
          `gitea ${args.slice(0, 3).join(' ')} failed:\n${(err.stderr ?? '').slice(-2000)}${(err.stdout ?? '').slice(-1000)}`,
        );
      }
    };
    const secrets = {
      SECRET_KEY: execFileSync(bin, ['generate', 'secret', 'SECRET_KEY'], { env, encoding: 'utf8' }).trim(),
      INTERNAL_TOKEN: execFileSync(bin, ['generate', 'secret', 'INTERNAL_TOKEN'], { env, encoding: 'utf8' }).trim(),
    };
    const httpPort = await freePort();
    const sshPort = await freePort();
    fs.writeFileSync(config, appIni(workDir, staticRoot, httpPort, sshPort, secrets), { mode: 0o600 });

    const t = Date.now();
    run(['migrate']);
    const login = 'flux-admin';
    run([
      'admin',
      'user',
      'create',
      '--username',
      login,
      '--password',
      randomBytes(18).toString('base64url'),
      '--email',
      'flux-admin@example.invalid',
      '--admin',
      '--must-change-password=false',
    ]);
    const token = run([
      'admin',
      'user',
      'generate-access-token',
      '--username',
      login,
      '--token-name',
      'harness',
      '--scopes',
      'all',
      '--raw',
    ])
      .split('\n')
      .pop()!
      .trim();
    progress(`gitea: database, admin user and token ready in ${Date.now() - t} ms`);

    const proc = startProcess({
      name: 'gitea',
      command: bin,
      args: ['web', '--config', config, '--work-path', workDir],
      env,
      logFile,
      pidFile,
      cwd: workDir,
    });
    logStart(proc);
    const base = `http://127.0.0.1:${httpPort}`;
    try {
      await waitForPort(httpPort, 120_000);
      await waitForPort(sshPort, 60_000);
      for (let i = 0; ; i++) {
        const ok = await fetch(`${base}/api/v1/version`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (i > 300) throw new Error('GET /api/v1/version never answered 200');
        await new Promise((r) => setTimeout(r, 200));
      }
    } catch (e) {
      throw new Error(`gitea did not come up: ${(e as Error).message}\n${tail(logFile)}`);
    }
    const version = ((await api(base, token, 'GET', '/version')) as { version: string }).version;
    const org = 'acme-fleet';
    await api(base, token, 'POST', '/orgs', { username: org, visibility: 'public' });
    await api(base, token, 'POST', `/orgs/${org}/teams`, {
      name: 'platform',
      permission: 'write',
      includes_all_repositories: false,
      units: ['repo.code'],
      units_map: { 'repo.code': 'write' },
    });
    const knownHosts = execFileSync('ssh-keyscan', ['-p', String(sshPort), '-t', 'ed25519,rsa', '127.0.0.1'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 30_000,
    })
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .join('\n');
    if (!knownHosts) throw new Error(`ssh-keyscan got no host key from gitea's SSH server on ${sshPort}\n${tail(logFile)}`);
    return {
      baseUrl: base,
      apiUrl: `${base}/api/v1`,
      token,
      login,
      org,
      sshHost: `127.0.0.1:${sshPort}`,
      knownHosts,
      version: `${version} (${GITEA_VERSION} build)`,
      logFile,
    };
  },
  async stop(workDir) {
    await stopRecorded(layout(workDir).pidFile);
  },
};
