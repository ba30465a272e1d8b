// harness: github-api
// GitHubHost against fake-github: every request and response is checked against GitHub's
// official OpenAPI description, repositories are real bare repositories behind a real sshd, and
// deploy keys are what that sshd lets in.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../provider/errors';
import { GitHubHost, HostError } from '../../../provider/hosts';
import { clearFaults, expectNoViolations, injectFaults, requestLog, violations, clearViolations } from '../../harness/fake-api-client';
import type { FakeGitHubInfo } from '../../harness/fake-github';
import { harnessInfo } from '../../harness/state';
import { hostContract } from './host-contract';
import { SshGitClient } from './ssh-client';

const gh = harnessInfo<FakeGitHubInfo>('github-api');
const make = (token: string, log: (l: string) => void) =>
  new GitHubHost({ token, baseUrl: gh.apiUrl, sshHost: gh.sshHost, log, retry: { baseDelayMs: 20 } });

afterEach(async () => {
  await clearFaults(gh.controlUrl);
  await expectNoViolations(gh.controlUrl);
});

describe('the GitHub host contract', () => {
  hostContract(() => ({
    host: (log) => make(gh.token, log),
    badTokenHost: (log) => make(`ghp_${randomBytes(18).toString('hex')}`, log), // a fresh token the fake never issued
    token: gh.token,
    hostLabel: new URL(gh.apiUrl).host,
    user: gh.login,
    org: gh.org,
    sshHost: gh.sshHost,
    knownHosts: gh.knownHosts,
    serverLogs: [gh.logFile],
  }));
});

describe('GitHub specifics', () => {
  const logs: string[] = [];
  const host = make(gh.token, (l) => logs.push(l));
  const name = () => `gh-${randomBytes(3).toString('hex')}`;
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'gh-specifics-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('the fake really rejects a request that does not match the description (so the checks can fail)', async () => {
    const res = await fetch(`${gh.apiUrl}/user/repos`, {
      method: 'POST',
      headers: { authorization: `token ${gh.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 42, privat: true }),
    });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { problems: string[] };
    expect(body.problems.join('\n')).toMatch(/request body: \/name must be string/);
    expect(body.problems.join('\n')).toMatch(/field "privat" is not in the description/);
    const v = await violations(gh.controlUrl);
    expect(v).toHaveLength(1);
    await clearViolations(gh.controlUrl);
    // an operation the fake does not implement is a violation too, not a silent 404
    const unknown = await fetch(`${gh.apiUrl}/repos/a/b/hooks`, { headers: { authorization: `token ${gh.token}` } });
    expect(unknown.status).toBe(500);
    await clearViolations(gh.controlUrl);
  });

  test('teams get access best-effort: an unknown team is a warning, not a failure', async () => {
    const r = await host.ensureRepository({ owner: gh.org, name: name(), create: true, teams: { platform: 'maintain', ghosts: 'push' } });
    expect(r.created).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/could not grant team "ghosts" push access .*no team "ghosts"/);
  });

  test('internal visibility is refused for a personal repository before any request', async () => {
    const before = (await requestLog(gh.controlUrl)).length;
    await expect(
      host.ensureRepository({ owner: gh.login, name: name(), create: true, personal: true, visibility: 'internal' }),
    ).rejects.toThrow(/invalid visibility "internal".*Fix: /);
    const after = await requestLog(gh.controlUrl);
    expect(after.slice(before).filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  test('a key already registered on another repository is a clear error naming publicKey', async () => {
    const ssh = new SshGitClient(tmp, gh.knownHosts);
    const k = ssh.key('shared');
    const [a, b] = [name(), name()];
    await host.ensureRepository({ owner: gh.login, name: a, create: true });
    await host.ensureRepository({ owner: gh.login, name: b, create: true });
    await host.upsertDeployKey({ owner: gh.login, name: a, title: 'x', publicKey: k.publicKey });
    const err = await host.upsertDeployKey({ owner: gh.login, name: b, title: 'x', publicKey: k.publicKey }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('publicKey');
    expect((err as Error).message).toMatch(/key is already in use.*Fix: generate a new deploy key/);
  });

  test('the primary rate limit is waited out and the request retried', async () => {
    const repo = name();
    await host.ensureRepository({ owner: gh.login, name: repo, create: true });
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    await injectFaults(gh.controlUrl, [
      {
        method: 'GET',
        path: `^/repos/${gh.login}/${repo}$`,
        status: 403,
        times: 1,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '5000', 'x-ratelimit-reset': reset },
        body: { message: 'API rate limit exceeded for user.', documentation_url: 'https://docs.github.com/rest' },
      },
    ]);
    const got = await host.getRepository({ owner: gh.login, name: repo });
    expect(got).not.toBeNull();
    expect(logs.some((l) => /primary rate limit .*retrying/.test(l))).toBe(true);
  });

  test("the secondary rate limit's Retry-After is waited out and the request retried", async () => {
    const repo = name();
    await host.ensureRepository({ owner: gh.login, name: repo, create: true });
    await injectFaults(gh.controlUrl, [
      {
        method: 'GET',
        path: `^/repos/${gh.login}/${repo}$`,
        status: 403,
        times: 1,
        headers: { 'retry-after': '1' },
        body: {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
      },
    ]);
    expect(await host.getRepository({ owner: gh.login, name: repo })).not.toBeNull();
    // it read the wait from Retry-After (these tests scale waits down with retry.baseDelayMs)
    expect(logs.some((l) => /secondary rate limit on GET .*; retrying in 1 s/.test(l))).toBe(true);
  });

  test('a 502 is retried; a persistent 503 becomes a HostError with a remedy', async () => {
    const repo = name();
    await host.ensureRepository({ owner: gh.login, name: repo, create: true });
    await injectFaults(gh.controlUrl, [
      { method: 'GET', path: `^/repos/${gh.login}/${repo}$`, status: 502, times: 1, body: { message: 'Server Error' } },
    ]);
    expect(await host.getRepository({ owner: gh.login, name: repo })).not.toBeNull();
    await injectFaults(gh.controlUrl, [
      { method: 'GET', path: `^/repos/${gh.login}/${repo}$`, status: 503, times: 10, body: { message: 'Unavailable' } },
    ]);
    const err = await host.getRepository({ owner: gh.login, name: repo }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).message).toMatch(/the server failed \(503 Unavailable\)\. Fix: run again later/);
  });
});
