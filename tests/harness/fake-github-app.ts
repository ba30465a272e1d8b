// Service `github-app`: a fake GitHub Enterprise where the bootstrap runs as a GitHub App
// (fake-github-app-server.ts), over HTTPS with git-http's certificate, git relayed to git-http.
// The App's RSA key is generated at start; tests rotate it through /_harness/app.
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FakeGitHubAppConfig } from './fake-github-app-server';
import type { GitHttpInfo } from './git-http';
import type { GitSshInfo } from './git-ssh';
import { freePort, waitForPort } from './ports';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';

export interface FakeGitHubAppInfo {
  /** https://127.0.0.1:PORT/api/v3: the repository's apiUrl and Flux's githubAppBaseURL */
  apiUrl: string;
  /** https://127.0.0.1:PORT: web and git (relayed to git-http) */
  webUrl: string;
  appId: number;
  installationId: number;
  /** the organization the App is installed on */
  org: string;
  /** PKCS#1 PEM, as GitHub hands it out; generated at start */
  privateKey: string;
  /** the CA that signed the server certificate (git-http's) */
  caPem: string;
  caFile: string;
  /** /_harness/ control endpoints (requests, violations, faults, app) */
  controlUrl: string;
  logFile: string;
  /** where the repositories live (git-http's reposDir) */
  reposDir: string;
}

function layout(workDir: string) {
  return {
    pidFile: path.join(workDir, 'pids', 'fake-github-app.pid'),
    logFile: path.join(workDir, 'fake-github-app.log'),
    config: path.join(workDir, 'config.json'),
  };
}

/** A new App key pair, PKCS#1 like the .pem files GitHub generates. */
export function generateAppKey(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

export const fakeGitHubAppService: Service<FakeGitHubAppInfo> = {
  name: 'github-app',
  needs: ['git-ssh', 'git-http'],
  async start(workDir, deps) {
    const ssh = deps['git-ssh'] as GitSshInfo;
    const web = deps['git-http'] as GitHttpInfo;
    const { pidFile, logFile, config } = layout(workDir);
    fs.mkdirSync(path.dirname(pidFile), { recursive: true });
    const port = await freePort();
    const key = generateAppKey();
    const appId = 424242;
    const installationId = 31337001;
    const org = 'acme-apps';
    const tlsDir = path.join(web.stateDir, 'tls');
    const cfg: FakeGitHubAppConfig = {
      port,
      token: '',
      login: 'flux-app[bot]',
      orgs: { [org]: { teams: ['platform'] } },
      git: { stateDir: ssh.stateDir, reposDir: web.reposDir, port: ssh.port },
      logFile,
      webUrl: `https://127.0.0.1:${port}`,
      app: {
        appId,
        slug: 'flux-bootstrap-test',
        publicKeys: [key.publicKey],
        installations: { [installationId]: { account: org, type: 'Organization' } },
        gitHttp: { stateDir: web.stateDir },
      },
      tls: { key: path.join(tlsDir, 'server.key'), cert: path.join(tlsDir, 'server.crt') },
      gitHttps: { url: web.httpsUrl, caFile: web.caFile },
    };
    fs.writeFileSync(config, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
    const proc = startProcess({
      name: 'fake-github-app',
      command: process.execPath,
      args: [path.join(__dirname, 'fake-github-app-server.js'), config],
      logFile,
      pidFile,
      cwd: path.resolve(__dirname, '..', '..', '..'),
    });
    logStart(proc);
    try {
      await waitForPort(port, 60_000);
    } catch (e) {
      throw new Error(`fake-github-app did not come up: ${(e as Error).message}\n${tail(logFile)}`);
    }
    const base = `https://127.0.0.1:${port}`;
    return {
      apiUrl: `${base}/api/v3`,
      webUrl: base,
      appId,
      installationId,
      org,
      privateKey: key.privateKey,
      caPem: web.caPem,
      caFile: web.caFile,
      controlUrl: `${base}/_harness`,
      logFile,
      reposDir: web.reposDir,
    };
  },
  async stop(workDir) {
    await stopRecorded(layout(workDir).pidFile);
  },
};
