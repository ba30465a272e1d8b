// Service `oci-registry`: a real OCI registry (distribution's `registry`, built from the Go
// module proxy by oci-registry-build.ts) on 127.0.0.1 over HTTPS with a test CA made per run,
// and basic auth (htpasswd, bcrypt) for one read-write user. Its log has one line per request,
// so tests count what a check or a push cost on the server side.
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

function layout(workDir: string) {
  return {
    pidFile: path.join(workDir, 'pids', 'registry.pid'),
    logFile: path.join(workDir, 'registry.log'),
    config: path.join(workDir, 'config.yml'),
  };
}

/** Requests the registry answered, as "METHOD /v2/..." lines, from its log. */
export function registryRequests(info: Pick<OciRegistryInfo, 'logFile'>): string[] {
  const lines = fs
    .readFileSync(info.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('response completed'));
  return lines.map((l) => {
    const method = /http\.request\.method=(\S+)/.exec(l)?.[1] ?? '?';
    const uri = /http\.request\.uri="?([^"\s]+)/.exec(l)?.[1] ?? '?';
    return `${method} ${uri}`;
  });
}

export const ociRegistryService: Service<OciRegistryInfo> = {
  name: 'oci-registry',
  async start(workDir) {
    const started = Date.now();
    ensureDebianPackages([
      { pkg: 'apache2-utils', file: '/usr/bin/htpasswd' },
      { pkg: 'openssl', file: '/usr/bin/openssl' },
    ]);
    const bin = buildRegistry();
    const { pidFile, logFile, config } = layout(workDir);
    const tls = makeTestCa(path.join(workDir, 'tls'), 'flux-bootstrap registry CA');
    const username = 'flux';
    const password = randomBytes(18).toString('base64url');
    const htpasswd = path.join(workDir, 'htpasswd');
    fs.writeFileSync(htpasswd, execFileSync('htpasswd', ['-nbB', username, password], { encoding: 'utf8' }), { mode: 0o600 });
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
        '  htpasswd:',
        '    realm: flux-bootstrap',
        `    path: ${htpasswd}`,
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
    progress(`oci-registry on https://127.0.0.1:${port} ready in ${Date.now() - started} ms`);
    return { registry: `127.0.0.1:${port}`, username, password, caPem: fs.readFileSync(tls.caFile, 'utf8'), caFile: tls.caFile, logFile };
  },
  async stop(workDir) {
    await stopRecorded(layout(workDir).pidFile);
  },
};
