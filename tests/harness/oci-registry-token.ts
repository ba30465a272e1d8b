// Service `oci-registry-token`: the registry of `oci-registry` behind the Bearer token flow
// public registries use (ghcr.io, Docker Hub, ACR, GitLab): distribution's own `auth: token`
// (realm, service, issuer, rootcertbundle) answers 401 with `WWW-Authenticate: Bearer
// realm=...,service=...,scope="repository:<name>:<actions>"`, and our token server
// (oci-token-server.ts) issues tokens scoped per repository and action to a push user, a
// pull-only user and anonymous callers (pull only, under `public/`). Both speak HTTPS with the
// same per-run CA.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { progress } from './cache';
import { makeTestCa } from './git-http';
import { registryLayout, registryTls, startRegistry, type OciRegistryInfo } from './oci-registry';
import { sha256Hex, type GrantPolicy } from './oci-token-grants';
import type { TokenRequest, TokenServerConfig } from './oci-token-server';
import { freePort, waitForPort } from './ports';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';

export interface OciTokenRegistryInfo extends OciRegistryInfo {
  /** `username`/`password` (inherited) may pull and push; `reader` may only pull */
  reader: { username: string; password: string };
  /** repositories under this prefix are pulled anonymously (public) */
  publicPrefix: string;
  /** the token endpoint named in the challenge */
  realm: string;
  service: string;
  /** seconds a token lives (its `expires_in`) */
  tokenLifetimeSeconds: number;
  tokenLog: string;
}

const SERVICE = 'flux-bootstrap-registry';
const ISSUER = 'flux-bootstrap-token-server';
const LIFETIME = 300; // Docker Hub's

function layout(workDir: string) {
  return {
    pidFile: path.join(workDir, 'pids', 'token-server.pid'),
    logFile: path.join(workDir, 'token-server.log'),
    config: path.join(workDir, 'token-server.json'),
    tokenLog: path.join(workDir, 'token-requests.jsonl'),
  };
}

/** Every request the token server answered, oldest first. */
export function tokenRequests(info: Pick<OciTokenRegistryInfo, 'tokenLog'>): TokenRequest[] {
  if (!fs.existsSync(info.tokenLog)) return [];
  return fs
    .readFileSync(info.tokenLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TokenRequest);
}

export const ociRegistryTokenService: Service<OciTokenRegistryInfo> = {
  name: 'oci-registry-token',
  async start(workDir) {
    const started = Date.now();
    const tls = registryTls(workDir);
    const signing = makeTestCa(path.join(workDir, 'token-signing'), 'flux-bootstrap token signing CA');
    const secret = () => randomBytes(18).toString('base64url');
    const pusher = { username: 'fleet-push', password: secret() };
    const reader = { username: 'fleet-pull', password: secret() };
    const policy: GrantPolicy = {
      users: [
        { username: pusher.username, passwordSha256: sha256Hex(pusher.password), actions: ['pull', 'push'] },
        { username: reader.username, passwordSha256: sha256Hex(reader.password), actions: ['pull'] },
      ],
      anonymousPull: ['public/'],
    };
    const { pidFile, logFile, config, tokenLog } = layout(workDir);
    const port = await freePort();
    // a host name, not 127.0.0.1: source-controller's go-containerregistry (v0.21.5 on)
    // refuses a realm whose host is a loopback or private IP literal (its SSRF guard)
    const realm = `https://localhost:${port}/token`;
    const cfg: TokenServerConfig = {
      port,
      tls: { cert: tls.certFile, key: tls.keyFile },
      signing: { cert: signing.certFile, key: signing.keyFile },
      issuer: ISSUER,
      service: SERVICE,
      lifetimeSeconds: LIFETIME,
      policy,
      requestLog: tokenLog,
    };
    fs.writeFileSync(config, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
    const proc = startProcess({
      name: 'oci token server',
      command: process.execPath,
      args: [path.join(__dirname, 'oci-token-server.js'), config],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      logFile,
      pidFile,
    });
    logStart(proc);
    try {
      await waitForPort(port, 20_000);
    } catch (e) {
      throw new Error(`token server did not come up: ${(e as Error).message}\n${tail(logFile)}`);
    }
    const { registry, logFile: registryLog } = await startRegistry(workDir, tls, [
      'token:',
      `  realm: ${realm}`,
      `  service: ${SERVICE}`,
      `  issuer: ${ISSUER}`,
      `  rootcertbundle: ${signing.caFile}`,
    ]);
    progress(`oci-registry-token on https://${registry} (token realm ${realm}) ready in ${Date.now() - started} ms`);
    return {
      registry,
      username: pusher.username,
      password: pusher.password,
      reader,
      publicPrefix: 'public/',
      realm,
      service: SERVICE,
      tokenLifetimeSeconds: LIFETIME,
      tokenLog,
      caPem: fs.readFileSync(tls.caFile, 'utf8'),
      caFile: tls.caFile,
      logFile: registryLog,
    };
  },
  async stop(workDir) {
    await stopRecorded(registryLayout(workDir).pidFile);
    await stopRecorded(layout(workDir).pidFile);
  },
};
