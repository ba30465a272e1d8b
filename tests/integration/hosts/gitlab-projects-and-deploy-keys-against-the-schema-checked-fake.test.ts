// harness: gitlab-api
// GitLabHost (through @gitbeaker/rest) against fake-gitlab: requests and responses are checked
// against a hand-kept description of the GitLab v4 fields we use (fake-gitlab-schema.ts; GitLab
// publishes no OpenAPI description on npm), projects are real bare repositories behind a real
// sshd, and deploy keys are what that sshd lets in.
import { randomBytes } from 'node:crypto';
import { GitLabHost } from '../../../provider/hosts';
import { clearViolations, expectNoViolations, violations } from '../../harness/fake-api-client';
import type { FakeGitLabInfo } from '../../harness/fake-gitlab';
import { harnessInfo } from '../../harness/state';
import { hostContract } from './host-contract';

const gl = harnessInfo<FakeGitLabInfo>('gitlab-api');
const make = (token: string, log: (l: string) => void) => new GitLabHost({ token, baseUrl: gl.webUrl, sshHost: gl.sshHost, log });

afterEach(async () => {
  await expectNoViolations(gl.controlUrl);
});

describe('the GitLab host contract', () => {
  hostContract(() => ({
    host: (log) => make(gl.token, log),
    badTokenHost: (log) => make(`glpat-${randomBytes(10).toString('hex')}`, log), // a fresh token the fake never issued
    token: gl.token,
    hostLabel: new URL(gl.webUrl).host,
    user: gl.login,
    org: gl.group,
    sshHost: gl.sshHost,
    knownHosts: gl.knownHosts,
    serverLogs: [gl.logFile],
  }));
});

describe('GitLab specifics', () => {
  const host = make(gl.token, () => undefined);
  const name = () => `gl-${randomBytes(3).toString('hex')}`;

  test('a project in a subgroup gets the nested path in its URLs, with internal visibility', async () => {
    const n = name();
    const r = await host.ensureRepository({ owner: gl.subgroup, name: n, create: true, visibility: 'internal', defaultBranch: 'fleet' });
    expect(r).toMatchObject({ created: true, empty: true, defaultBranch: 'fleet', syncUrl: `ssh://git@${gl.sshHost}/${gl.subgroup}/${n}` });
  });

  test('team access is reported as not managed on GitLab rather than silently ignored', async () => {
    const r = await host.ensureRepository({ owner: gl.group, name: name(), create: true, teams: { platform: 'maintain' } });
    expect(r.warnings).toEqual([expect.stringMatching(/team access is not managed on GitLab/)]);
  });

  test('the fake really rejects a request that does not match the hand-kept schema', async () => {
    const res = await fetch(`${gl.apiUrl}/projects`, {
      method: 'POST',
      headers: { 'private-token': gl.token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', visibility: 'secret', namespaceId: 2 }),
    });
    expect(res.status).toBe(500);
    const problems = ((await res.json()) as { problems: string[] }).problems.join('\n');
    expect(problems).toMatch(/\/visibility must be equal to one of the allowed values/);
    expect(problems).toMatch(/namespaceId/);
    expect(await violations(gl.controlUrl)).toHaveLength(1);
    await clearViolations(gl.controlUrl);
  });
});
