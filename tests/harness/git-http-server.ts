// The process behind service `git-http` (see git-http.ts): a node:http(s) server that runs
// `git http-backend` as a CGI per request, behind basic and bearer-token authentication.
// Usage: node git-http-server.js <config.json>. It writes <stateDir>/ports.json once both
// listeners are up. Credentials are re-read from <stateDir>/credentials.json on every
// request, so tests can add or remove them while it runs.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface ServerConfig {
  stateDir: string;
  reposDir: string;
  git: string;
  tls: { key: string; cert: string };
}

export interface Credential {
  /** basic auth; with `password` */
  username?: string;
  password?: string;
  /** `Authorization: Bearer <token>`, or basic auth with any username and the token as password */
  token?: string;
  access: 'ro' | 'rw';
  /** repository names (as in urlFor) this credential may use; absent: all */
  repos?: string[];
}

const configFile = process.argv[2];
if (!configFile) {
  process.stderr.write('usage: git-http-server <config.json>\n');
  process.exit(2);
}
const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as ServerConfig;
const credentialsFile = path.join(config.stateDir, 'credentials.json');

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

function credentials(): Credential[] {
  try {
    return JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as Credential[];
  } catch {
    return [];
  }
}

function authenticate(header: string | undefined): { user: string; cred: Credential } | null {
  if (!header) return null;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  const creds = credentials();
  if (/^bearer$/i.test(scheme)) {
    const c = creds.find((x) => x.token !== undefined && x.token === value);
    return c ? { user: c.username ?? 'token', cred: c } : null;
  }
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return null;
    const user = decoded.slice(0, i);
    const pass = decoded.slice(i + 1);
    const c =
      creds.find((x) => x.username === user && x.password !== undefined && x.password === pass) ??
      creds.find((x) => x.token !== undefined && x.token === pass);
    return c ? { user, cred: c } : null;
  }
  return null;
}

/** The repository a git smart-HTTP path addresses and the rest of the path:
 *  `/owner/repo(.git)/info/refs` -> { name: 'owner/repo', tail: '/info/refs' } */
function repoOf(pathInfo: string): { name: string; tail: string } | null {
  const m = /^\/(.+?)(?:\.git)?(\/(?:info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.*))$/.exec(pathInfo);
  if (!m || m[1].split('/').some((p) => p === '' || p === '.' || p === '..')) return null;
  return { name: m[1], tail: m[2] };
}

function deny(res: http.ServerResponse, status: number, message: string, challenge = false): void {
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'text/plain; charset=utf-8' };
  if (challenge) headers['WWW-Authenticate'] = 'Basic realm="flux-bootstrap test git"';
  res.writeHead(status, headers);
  res.end(message + '\n');
}

function handle(req: http.IncomingMessage, res: http.ServerResponse, scheme: string): void {
  const url = new URL(req.url ?? '/', 'http://x');
  let pathInfo: string;
  try {
    pathInfo = decodeURIComponent(url.pathname);
  } catch {
    return deny(res, 400, 'bad path');
  }
  const repo = repoOf(pathInfo);
  const service = url.searchParams.get('service');
  const push = pathInfo.endsWith('/git-receive-pack') || service === 'git-receive-pack';
  const who = authenticate(req.headers.authorization);
  const enc = req.headers['content-encoding'];
  const tag = `${scheme} ${req.method} ${req.url}${enc ? ` (${enc})` : ''}`;
  if (!who) {
    log(`${tag} -> 401`);
    return deny(res, 401, 'authentication required', true);
  }
  if (!repo) {
    log(`${tag} -> 404`);
    return deny(res, 404, 'not a git repository path');
  }
  const name = repo.name;
  if (who.cred.repos && !who.cred.repos.includes(name)) {
    log(`${tag} user=${who.user} -> 403 (no access to ${name})`);
    return deny(res, 403, `${who.user} has no access to ${name}`);
  }
  if (push && who.cred.access !== 'rw') {
    log(`${tag} user=${who.user} -> 403 (read-only)`);
    return deny(res, 403, `${who.user} may read ${name} but not push to it`);
  }
  if (!fs.existsSync(path.join(config.reposDir, `${name}.git`, 'HEAD'))) {
    log(`${tag} -> 404 (no repository ${name})`);
    return deny(res, 404, `repository ${name} does not exist`);
  }
  // http-backend maps PATH_INFO onto GIT_PROJECT_ROOT; repositories live as <name>.git
  const rest = repo.tail;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: config.reposDir,
    GIT_HTTP_EXPORT_ALL: '1',
    // receive-pack is served only to an authenticated user: we checked rw above
    REMOTE_USER: who.user,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    PATH_INFO: `/${name}.git${rest}`,
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    GATEWAY_INTERFACE: 'CGI/1.1',
    // http-backend inflates gzip request bodies itself (git clients gzip large fetch requests)
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
    GIT_PROTOCOL: (req.headers['git-protocol'] as string | undefined) ?? '',
    HOME: config.stateDir,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  if (req.headers['content-length'] !== undefined) env.CONTENT_LENGTH = req.headers['content-length'];
  const child = spawn(config.git, ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  req.pipe(child.stdin);
  child.stdin.on('error', () => {
    /* backend closed early; its answer says why */
  });

  // CGI response: header lines, a blank line, then the body, streamed.
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      if (!res.write(chunk)) {
        child.stdout.pause();
        res.once('drain', () => child.stdout.resume());
      }
      return;
    }
    head = Buffer.concat([head, chunk]);
    let end = head.indexOf('\r\n\r\n');
    let sep = 4;
    if (end < 0) {
      end = head.indexOf('\n\n');
      sep = 2;
    }
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    let reason = 'OK';
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === 'status') {
        const m = /^(\d{3})\s*(.*)$/.exec(v);
        if (m) {
          status = Number(m[1]);
          reason = m[2] || reason;
        }
      } else headers[k] = v;
    }
    res.writeHead(status, reason, headers);
    const body = head.subarray(end + sep);
    if (body.length) res.write(body);
    log(`${tag} user=${who.user} -> ${status}`);
  });
  child.on('close', (code) => {
    if (!headersDone) {
      log(`${tag} user=${who.user} -> 500 (http-backend exit ${code}: ${stderr.trim()})`);
      if (!res.headersSent) deny(res, 500, `git http-backend failed: ${stderr.trim()}`);
      else res.end();
      return;
    }
    if (stderr.trim()) log(`${tag} http-backend: ${stderr.trim()}`);
    res.end();
  });
  req.on('aborted', () => child.kill('SIGTERM'));
}

const plain = http.createServer((req, res) => handle(req, res, 'http'));
const secure = https.createServer({ key: fs.readFileSync(config.tls.key), cert: fs.readFileSync(config.tls.cert) }, (req, res) =>
  handle(req, res, 'https'),
);
for (const s of [plain, secure]) {
  s.keepAliveTimeout = 5_000;
  s.requestTimeout = 0;
}

let up = 0;
const ready = () => {
  if (++up < 2) return;
  const ports = { http: (plain.address() as AddressInfo).port, https: (secure.address() as AddressInfo).port };
  const file = path.join(config.stateDir, 'ports.json');
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(ports) + '\n');
  fs.renameSync(`${file}.tmp`, file);
  log(`listening: http ${ports.http}, https ${ports.https}`);
};
plain.listen(0, '127.0.0.1', ready);
secure.listen(0, '127.0.0.1', ready);
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    plain.close();
    secure.close();
    process.exit(0);
  });
}
