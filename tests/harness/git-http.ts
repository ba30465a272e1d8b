// Service `git-http`: Git's own smart-HTTP server (`git http-backend`, a CGI) behind a small
// Node server (git-http-server.ts) on 127.0.0.1, over plain HTTP and over HTTPS with a test CA
// made per run (openssl), with basic-auth users and bearer tokens that are read-write or
// read-only, to all repositories or some.
//
// URLs look like flux bootstrap's HTTPS ones: `https://127.0.0.1:PORT/<owner>/<repo>.git`.
// Tokens work as `Authorization: Bearer <token>` (flux's `bearerToken`) and as a basic-auth
// password with any username (how GitHub and GitLab take personal access tokens).
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDebianPackages } from './apt';
import { progress } from './cache';
import { createBareRepo as createBare, repoDir } from './git-ssh';
import type { Credential, ServerConfig } from './git-http-server';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';
import { text } from '../../provider/text';

export type { Credential } from './git-http-server';

export interface GitHttpInfo {
  host: '127.0.0.1';
  httpPort: number;
  httpsPort: number;
  /** `http://127.0.0.1:PORT` */
  httpUrl: string;
  /** `https://127.0.0.1:PORT`, certificate for IP 127.0.0.1 and DNS localhost */
  httpsUrl: string;
  reposDir: string;
  stateDir: string;
  /** PEM of the CA that signed the server certificate (flux's `ca.crt`) */
  caPem: string;
  caFile: string;
  /** read-write basic auth */
  username: string;
  password: string;
  /** read-write bearer token */
  token: string;
  /** read-only basic auth and token */
  readOnly: { username: string; password: string; token: string };
}

const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

/** `<httpsUrl or httpUrl>/<repo>.git` */
export function httpUrlFor(info: GitHttpInfo, repo: string, opts: { tls?: boolean } = {}): string {
  const base = opts.tls === false ? info.httpUrl : info.httpsUrl;
  return `${base}/${path.relative(info.reposDir, repoDir(info, repo))}`;
}

/** Creates an empty bare repository served by this server; returns its path. */
export function createBareRepo(info: { reposDir: string }, repo: string, defaultBranch = 'main'): string {
  return createBare(info, repo, defaultBranch);
}

function credentialsFile(stateDir: string): string {
  return path.join(stateDir, 'credentials.json');
}

function readCredentials(stateDir: string): Credential[] {
  try {
    return JSON.parse(fs.readFileSync(credentialsFile(stateDir), 'utf8')) as Credential[];
  } catch {
    return [];
  }
}

function writeCredentials(stateDir: string, creds: Credential[]): void {
  const file = credentialsFile(stateDir);
  fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Adds a user (username + password) or a token; the server takes it from the next request. */
export function addCredential(info: { stateDir: string }, cred: Credential): void {
  writeCredentials(info.stateDir, [...readCredentials(info.stateDir), cred]);
}

/** Removes every credential with this username or token. */
export function removeCredential(info: { stateDir: string }, match: { username?: string; token?: string }): void {
  writeCredentials(
    info.stateDir,
    readCredentials(info.stateDir).filter(
      (c) => !((match.username !== undefined && c.username === match.username) || (match.token !== undefined && c.token === match.token)),
    ),
  );
}

function secret(): string {
  return crypto.randomBytes(18).toString('base64url');
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`openssl ${args.join(' ')} failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? text(e)}`);
  }
}

/** A CA and a server certificate it signs (127.0.0.1 and localhost), EC P-256, 30 days. */
export function makeTestCa(dir: string, cn = 'flux-bootstrap test CA'): { caFile: string; certFile: string; keyFile: string } {
  fs.mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '30',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-set_serial',
      `0x${crypto.randomBytes(8).toString('hex')}`,
      '-days',
      '30',
      '-extfile',
      'server.ext',
      '-out',
      'server.crt',
    ],
    dir,
  );
  return { caFile: path.join(dir, 'ca.crt'), certFile: path.join(dir, 'server.crt'), keyFile: path.join(dir, 'server.key') };
}

function layoutOf(workDir: string) {
  const stateDir = path.join(workDir, 'http');
  return {
    stateDir,
    reposDir: path.join(workDir, 'repos'),
    pidFile: path.join(stateDir, 'server.pid'),
    logFile: path.join(stateDir, 'server.log'),
  };
}

async function waitForFile(file: string, timeoutMs: number, alive: () => boolean): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      /* not yet */
    }
    if (!alive()) throw new Error('the server exited');
    if (Date.now() > deadline) throw new Error(`no ${file} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const gitHttpService: Service<GitHttpInfo> = {
  name: 'git-http',
  async start(workDir: string): Promise<GitHttpInfo> {
    const started = Date.now();
    ensureDebianPackages([
      { pkg: 'git', file: GIT_HTTP_BACKEND },
      { pkg: 'openssl', file: '/usr/bin/openssl' },
    ]);
    const { stateDir, reposDir, pidFile, logFile } = layoutOf(workDir);
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(reposDir, { recursive: true });
    const tls = makeTestCa(path.join(stateDir, 'tls'));
    const rw = { username: 'git', password: secret(), token: secret() };
    const ro = { username: 'reader', password: secret(), token: secret() };
    writeCredentials(stateDir, [
      { username: rw.username, password: rw.password, access: 'rw' },
      { username: 'token', token: rw.token, access: 'rw' },
      { username: ro.username, password: ro.password, access: 'ro' },
      { username: 'read-token', token: ro.token, access: 'ro' },
    ]);
    const git = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const config: ServerConfig = { stateDir, reposDir, git, tls: { key: tls.keyFile, cert: tls.certFile } };
    const configFile = path.join(stateDir, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
    const portsFile = path.join(stateDir, 'ports.json');
    fs.rmSync(portsFile, { force: true });

    const proc = startProcess({
      name: 'git-http server',
      command: process.execPath,
      args: [path.join(__dirname, 'git-http-server.js'), configFile],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      logFile,
      pidFile,
    });
    logStart(proc);
    let exited = false;
    proc.child.once('exit', () => {
      exited = true;
    });
    let ports: { http: number; https: number };
    try {
      ports = JSON.parse(await waitForFile(portsFile, 20_000, () => !exited)) as typeof ports;
    } catch (e) {
      throw new Error(`git-http server did not come up: ${(e as Error).message}\n${tail(logFile)}`);
    }
    const info: GitHttpInfo = {
      host: '127.0.0.1',
      httpPort: ports.http,
      httpsPort: ports.https,
      httpUrl: `http://127.0.0.1:${ports.http}`,
      httpsUrl: `https://127.0.0.1:${ports.https}`,
      reposDir,
      stateDir,
      caPem: fs.readFileSync(tls.caFile, 'utf8'),
      caFile: tls.caFile,
      username: rw.username,
      password: rw.password,
      token: rw.token,
      readOnly: ro,
    };
    progress(`git-http on ${info.httpUrl} and ${info.httpsUrl} ready in ${Date.now() - started} ms`);
    return info;
  },
  async stop(workDir: string): Promise<void> {
    await stopRecorded(layoutOf(workDir).pidFile);
  },
};
