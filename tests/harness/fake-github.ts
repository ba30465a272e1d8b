// Service `github-api`: the fake GitHub REST API (fake-github-server.ts) as its own node
// process, so it outlives jest's global setup and `npm run harness -- up`. It needs git-ssh:
// repositories are bare repositories there and deploy keys become its grants.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitSshInfo } from './git-ssh';
import type { FakeGitHubConfig } from './fake-github-server';
import { freePort, waitForPort } from './ports';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';

export interface FakeGitHubInfo {
  /** give this as GitHubHost's baseUrl: http://127.0.0.1:PORT/api/v3 (the Enterprise form) */
  apiUrl: string;
  webUrl: string;
  /** only this token is accepted (shaped like a classic PAT, so scrubbing is exercised) */
  token: string;
  /** the token's user */
  login: string;
  /** an organization the user belongs to, with team `platform` */
  org: string;
  /** the ssh host[:port] for clone URLs: git-ssh's */
  sshHost: string;
  knownHosts: string;
  /** /_harness/ control endpoints: violations, requests, faults (see fake-api-client.ts) */
  controlUrl: string;
  logFile: string;
}

function layout(workDir: string) {
  return {
    pidFile: path.join(workDir, 'pids', 'fake-github.pid'),
    logFile: path.join(workDir, 'fake-github.log'),
    config: path.join(workDir, 'config.json'),
  };
}

export const fakeGitHubService: Service<FakeGitHubInfo> = {
  name: 'github-api',
  needs: ['git-ssh'],
  async start(workDir, deps) {
    const git = deps['git-ssh'] as GitSshInfo;
    const { pidFile, logFile, config } = layout(workDir);
    const port = await freePort();
    const token = `ghp_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
    const cfg: FakeGitHubConfig = {
      port,
      token,
      login: 'flux-tester',
      orgs: { 'acme-fleet': { teams: ['platform'] } },
      git: { stateDir: git.stateDir, reposDir: git.reposDir, port: git.port },
      logFile,
    };
    fs.writeFileSync(config, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
    const proc = startProcess({
      name: 'fake-github',
      command: process.execPath,
      args: [path.join(__dirname, 'fake-github-server.js'), config],
      logFile,
      pidFile,
      cwd: path.resolve(__dirname, '..', '..', '..'),
    });
    logStart(proc);
    try {
      await waitForPort(port, 60_000);
    } catch (e) {
      throw new Error(`fake-github did not come up: ${(e as Error).message}\n${tail(logFile)}`);
    }
    const web = `http://127.0.0.1:${port}`;
    return {
      apiUrl: `${web}/api/v3`,
      webUrl: web,
      token,
      login: cfg.login,
      org: 'acme-fleet',
      sshHost: `127.0.0.1:${git.port}`,
      knownHosts: git.knownHosts,
      controlUrl: `${web}/_harness`,
      logFile,
    };
  },
  async stop(workDir) {
    await stopRecorded(layout(workDir).pidFile);
  },
};
