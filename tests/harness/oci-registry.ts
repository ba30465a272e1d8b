// Service `oci-registry`: a real OCI registry (distribution's `registry`, built from the Go
// module proxy by oci-registry-build.ts) on 127.0.0.1 over HTTPS with a test CA made per run,
// and basic auth (htpasswd, bcrypt) for one read-write user. Its log has one line per request,
// so tests count what a check or a push cost on the server side. `startRegistry` is shared with
// `oci-registry-token` (oci-registry-token.ts), which differs only in its `auth:` section.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDebianPackages } from './apt';
import { progress } from './cache';
import { makeTestCa } from './git-http';
import { buildRegistry } from './oci-registry-build';
import { freePort, waitForPort } from './ports';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';

export interface OciRegistryInfo {
  /** host:port, as in oci://<registry>/<repository>:<tag> */
  registry: string;
  username: string;
  password: string;
  /** PEM of the CA that signed the server certificate */
  caPem: string;
  caFile: string;
  logFile: string;
}

export function registryLayout(workDir: string) {
  return {
    pidFile: path.join(workDir, 'pids', 'registry.pid'),
    logFile: path.join(workDir, 'registry.log'),
    config: path.join(workDir, 'config.yml'),
  };
}

/** Requests the registry answered, as "METHOD /v2/..." lines, from its log. Requests refused
 *  for want of (sufficient) credentials are not among them: see `registryChallenges`. */
export function registryRequests(info: Pick<OciRegistryInfo, 'logFile'>): string[] {
  return logRequests(info, 'response completed');
}

/** Requests the registry answered 401 with its auth challenge, as "METHOD /v2/..." lines. */
export function registryChallenges(info: Pick<OciRegistryInfo, 'logFile'>): string[] {
  return logRequests(info, 'error authorizing context');
}

function logRequests(info: Pick<OciRegistryInfo, 'logFile'>, marker: string): string[] {
  const lines = fs
    .readFileSync(info.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes(marker));
  return lines.map((l) => {
    const method = /http\.request\.method=(\S+)/.exec(l)?.[1] ?? '?';
    const uri = /http\.request\.uri="?([^"\s]+)/.exec(l)?.[1] ?? '?';
    return `${method} ${uri}`;
  });
}

/** The TLS files of a registry service: its CA, and a server certificate for 127.0.0.1. */
export function registryTls(workDir: string) {
  ensureDebianPackages([{ pkg: 'openssl', file: '/usr/bin/openssl' }]);
  return makeTestCa(path.join(workDir, 'tls'), 'flux-bootstrap registry CA');
}

/** Builds (cached) and starts the registry on a free port with the given `auth:` section lines. */
export async function startRegistry(
  workDir: string,
  tls: { certFile: string; keyFile: string },
  auth: string[],
): Promise<{ registry: string; logFile: string }> {
  const bin = buildRegistry();
  const { pidFile, logFile, config } = registryLayout(workDir);
  const port = await freePort();
  fs.writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: info',
      '  formatter: text',
      'storage:',
      `  filesystem:`,
      `    rootdirectory: ${path.join(workDir, 'storage')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      '  tls:',
      `    certificate: ${tls.certFile}`,
      `    key: ${tls.keyFile}`,
      'auth:',
      ...auth.map((l) => `  ${l}`),
      '',
    ].join('\n'),
  );
  const proc = startProcess({
    name: 'oci-registry',
    command: bin,
    args: ['serve', config],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    logFile,
    pidFile,
  });
  logStart(proc);
  try {
    await waitForPort(port, 60_000);
  } catch (e) {
    throw new Error(`registry did not come up: ${(e as Error).message}\n${tail(logFile)}`);
  }
  return { registry: `127.0.0.1:${port}`, logFile };
}

export const ociRegistryService: Service<OciRegistryInfo> = {
  name: 'oci-registry',
  async start(workDir) {
    const started = Date.now();
    ensureDebianPackages([{ pkg: 'apache2-utils', file: '/usr/bin/htpasswd' }]);
    const tls = registryTls(workDir);
    const username = 'flux';
    const password = randomBytes(18).toString('base64url');
    const htpasswd = path.join(workDir, 'htpasswd');
    fs.writeFileSync(htpasswd, execFileSync('htpasswd', ['-nbB', username, password], { encoding: 'utf8' }), { mode: 0o600 });
    const { registry, logFile } = await startRegistry(workDir, tls, ['htpasswd:', '  realm: flux-bootstrap', `  path: ${htpasswd}`]);
    progress(`oci-registry on https://${registry} ready in ${Date.now() - started} ms`);
    return { registry, username, password, caPem: fs.readFileSync(tls.caFile, 'utf8'), caFile: tls.caFile, logFile };
  },
  async stop(workDir) {
    await stopRecorded(registryLayout(workDir).pidFile);
  },
};
