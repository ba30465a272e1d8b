// harness: gitea
// GiteaHost against a real Gitea built from code.gitea.io/gitea: its own API, its own sqlite,
// its own built-in SSH server deciding what a deploy key may do.
import { randomBytes } from 'node:crypto';
import { GiteaHost } from '../../../provider/hosts';
import type { GiteaInfo } from '../../harness/gitea';
import { harnessInfo } from '../../harness/state';
import { hostContract } from './host-contract';

const gitea = harnessInfo<GiteaInfo>('gitea');
const make = (token: string, log: (l: string) => void) => new GiteaHost({ token, baseUrl: gitea.baseUrl, sshHost: gitea.sshHost, log });

describe('the Gitea host contract', () => {
  hostContract(() => ({
    host: (log) => make(gitea.token, log),
    badTokenHost: (log) => make(randomBytes(20).toString('hex'), log), // a fresh token Gitea never issued
    token: gitea.token,
    hostLabel: new URL(gitea.baseUrl).host,
    user: gitea.login,
    org: gitea.org,
    sshHost: gitea.sshHost,
    knownHosts: gitea.knownHosts,
    serverLogs: [gitea.logFile],
  }));
});

describe('Gitea specifics', () => {
  const host = make(gitea.token, () => undefined);

  test('a repository in the organization is added to an existing team, and an unknown team is a warning', async () => {
    const name = `gt-${randomBytes(3).toString('hex')}`;
    const r = await host.ensureRepository({ owner: gitea.org, name, create: true, teams: { platform: '', ghosts: '' } });
    expect(r.created).toBe(true);
    expect(r.warnings).toEqual([expect.stringMatching(/could not give team "ghosts" access: no team "ghosts"/)]);
    const res = await fetch(`${gitea.apiUrl}/orgs/${gitea.org}/teams/search?q=platform`, {
      headers: { authorization: `token ${gitea.token}` },
    });
    const team = ((await res.json()) as { data: Array<{ id: number }> }).data[0];
    const repos = await fetch(`${gitea.apiUrl}/teams/${team.id}/repos`, { headers: { authorization: `token ${gitea.token}` } });
    expect(((await repos.json()) as Array<{ name: string }>).map((x) => x.name)).toContain(name);
  });

  test('the server reports the release it was built from', () => {
    expect(gitea.version).toMatch(/^1\.26\.0/);
  });
});
