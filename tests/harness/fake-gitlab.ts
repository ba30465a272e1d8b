// Service `gitlab-api`: the fake GitLab REST API (fake-gitlab-server.ts) as its own node
// process. Needs git-ssh, where its projects are bare repositories and its deploy keys grants.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitSshInfo } from './git-ssh';
import type { FakeGitLabConfig } from './fake-gitlab-server';
import { freePort, waitForPort } from './ports';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';

export interface FakeGitLabInfo {
  /** give this as GitLabHost's baseUrl */
  webUrl: string;
  apiUrl: string;
  /** only this token is accepted (glpat- shaped) */
  token: string;
  login: string;
  /** a group and a subgroup the user may create projects in */
  group: string;
  subgroup: string;
  sshHost: string;
  knownHosts: string;
  controlUrl: string;
  logFile: string;
}

function layout(workDir: string) {
  return {
    pidFile: path.join(workDir, 'pids', 'fake-gitlab.pid'),
    logFile: path.join(workDir, 'fake-gitlab.log'),
    config: path.join(workDir, 'config.json'),
  };
}

export const fakeGitLabService: Service<FakeGitLabInfo> = {
  name: 'gitlab-api',
  needs: ['git-ssh'],
  async start(workDir, deps) {
    const git = deps['git-ssh'] as GitSshInfo;
    const { pidFile, logFile, config } = layout(workDir);
    const port = await freePort();
    const token = `glpat-${randomBytes(15).toString('base64url').replace(/[-_]/g, 'x')}`;
    const cfg: FakeGitLabConfig = {
      port,
      token,
      login: 'flux-tester',
      groups: ['acme-fleet', 'acme-fleet/clusters'],
      git: { stateDir: git.stateDir, reposDir: git.reposDir, port: git.port },
      logFile,
    };
    fs.writeFileSync(config, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
    const proc = startProcess({
      name: 'fake-gitlab',
      command: process.execPath,
      args: [path.join(__dirname, 'fake-gitlab-server.js'), config],
      logFile,
      pidFile,
      cwd: path.resolve(__dirname, '..', '..', '..'),
    });
    logStart(proc);
    try {
      await waitForPort(port, 60_000);
    } catch (e) {
      throw new Error(`fake-gitlab did not come up: ${(e as Error).message}\n${tail(logFile)}`);
    }
    const web = `http://127.0.0.1:${port}`;
    return {
      webUrl: web,
      apiUrl: `${web}/api/v4`,
      token,
      login: cfg.login,
      group: 'acme-fleet',
      subgroup: 'acme-fleet/clusters',
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
