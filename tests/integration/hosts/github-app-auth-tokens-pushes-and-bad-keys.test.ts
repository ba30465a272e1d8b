// harness: git-ssh, git-http, github-app
// GitHub App authentication against the fake GitHub Enterprise of service `github-app`: the
// JWT, the installation token, its use for the API and for git over HTTPS, refresh before
// expiry, clock skew, key rotation, and the errors that name the input to fix. Every request
// and response is checked against GitHub's OpenAPI description.
import { randomBytes } from 'node:crypto';
import { InputError } from '../../../provider/errors';
import { commitFiles, remoteHead } from '../../../provider/git';
import { GitHubApp, GitHubHost } from '../../../provider/hosts';
import { fetchWithCa } from '../../../provider/hosts/ca-fetch';
import { expectNoViolations, requestLog } from '../../harness/fake-api-client';
import { generateAppKey, type FakeGitHubAppInfo } from '../../harness/fake-github-app';
import { harnessInfo } from '../../harness/state';

const gh = harnessInfo<FakeGitHubAppInfo>('github-app');
const host = new URL(gh.apiUrl).host;
const app = (over: Partial<{ appId: number; installationId: number; privateKey: string }> = {}, log?: (l: string) => void) =>
  new GitHubApp(
    { appId: gh.appId, installationId: gh.installationId, privateKey: gh.privateKey, caPem: gh.caPem, ...over },
    gh.apiUrl,
    host,
    log,
  );
const appControl = async (body: unknown) => {
  const res = await fetch(`${gh.controlUrl}/app`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(204);
};
const name = () => `app-${randomBytes(3).toString('hex')}`;
const realFetch = globalThis.fetch;

// the control endpoints are https with the harness CA; the clients under test get it as caPem
beforeAll(() => {
  globalThis.fetch = fetchWithCa(gh.caPem);
});
afterAll(() => {
  globalThis.fetch = realFetch;
});
afterEach(async () => {
  await appControl({ skewSeconds: 0, tokenLifetimeSeconds: 3600 });
  await expectNoViolations(gh.controlUrl);
});

async function inputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

test('with no personal token: the App creates the repository and its installation token pushes over https', async () => {
  const gitHost = new GitHubHost({
    token: '',
    app: { appId: gh.appId, installationId: gh.installationId, privateKey: gh.privateKey, caPem: gh.caPem },
    baseUrl: gh.apiUrl,
    syncTransport: 'https',
  });
  const repo = name();
  const before = (await requestLog(gh.controlUrl)).length;
  const r = await gitHost.ensureRepository({ owner: gh.org, name: repo, create: true });
  expect(r.created).toBe(true);
  expect(r.syncUrl).toBe(`${gh.webUrl}/${gh.org}/${repo}.git`);
  const calls = (await requestLog(gh.controlUrl)).slice(before).map((q) => `${q.method} ${q.path.replace(/\d+/g, 'N')} ${q.status}`);
  // one token (JWT), one installation lookup (JWT: is the owner a user?), then installation calls
  expect(calls.sort()).toEqual([
    'GET /api/vN/app/installations/N 200',
    `GET /api/vN/repos/acme-apps/${repo.replace(/\d+/g, 'N')} 404`,
    'POST /api/vN/app/installations/N/access_tokens 201',
    'POST /api/vN/orgs/acme-apps/repos 201',
  ]);

  const { token } = await gitHost.app!.token();
  const auth = { kind: 'https' as const, username: 'x-access-token', password: token, caPem: gh.caPem };
  const pushed = await commitFiles(r.httpsUrl, auth, {
    branch: 'main',
    files: { 'README.md': 'pushed by the App\n' },
    message: 'first',
    author: { name: 'Flux', email: 'flux@localhost' },
  });
  expect(pushed.changed).toBe(true);
  expect(await remoteHead(r.httpsUrl, auth, 'main')).toBe(pushed.commit);
  // the same token again: cached, no new request
  const n = (await requestLog(gh.controlUrl)).length;
  expect((await gitHost.app!.token()).token.reveal()).toBe(token.reveal());
  expect((await requestLog(gh.controlUrl)).length).toBe(n);
});

test('a token about to expire is replaced before a git operation uses it', async () => {
  await appControl({ tokenLifetimeSeconds: 120 });
  const a = app();
  const first = await a.token();
  expect(first.expiresAt.getTime() - Date.now()).toBeLessThan(5 * 60_000);
  const tokens = (await requestLog(gh.controlUrl)).filter((q) => q.path.endsWith('/access_tokens')).length;
  await appControl({ tokenLifetimeSeconds: 3600 });
  const second = await a.token();
  expect(second.token.reveal()).not.toBe(first.token.reveal());
  expect(second.expiresAt.getTime() - Date.now()).toBeGreaterThan(50 * 60_000);
  expect((await requestLog(gh.controlUrl)).filter((q) => q.path.endsWith('/access_tokens')).length).toBe(tokens + 1);
});

test("a clock an hour off the server's is measured once and corrects every later JWT", async () => {
  await appControl({ skewSeconds: 3600 });
  const logs: string[] = [];
  const a = app({}, (l) => logs.push(l));
  expect((await a.installation()).account).toBe(gh.org);
  expect(logs.join('\n')).toMatch(/clock is 3\d{3} s off the server's/);
  // the token request is signed with the corrected times: no 401
  await expect(a.token()).resolves.toHaveProperty('token');
});

test('bad App inputs are errors that name the field: unknown installation, a key of no App, a wrong App ID', async () => {
  const unknown = await inputError(app({ installationId: 999 }).installation());
  expect(unknown.field).toBe('auth.installationId');
  expect(unknown.message).toMatch(/invalid auth.installationId "999": is not an installation of App \d+ .*\(404\)\. Fix: install the App/);

  const stranger = generateAppKey();
  const badKey = await inputError(app({ privateKey: stranger.privateKey }).installation());
  expect(badKey.field).toBe('auth.privateKey');
  expect(badKey.message).toMatch(/\[secret\]: was refused by .*not a current key of App/);
  expect(badKey.message).not.toContain(stranger.privateKey.split('\n')[1]);

  const wrongApp = await inputError(app({ appId: 7 }).installation());
  expect(wrongApp.field).toBe('auth.appId');
});

test('rotating the App key: the new key works as soon as it is added, the old one stops when revoked', async () => {
  const next = generateAppKey();
  await expect(app({ privateKey: next.privateKey }).installation()).rejects.toThrow(/auth.privateKey/);
  await appControl({ addKey: next.publicKey });
  await expect(app({ privateKey: next.privateKey }).token()).resolves.toHaveProperty('token');
  await appControl({ revokeKey: next.publicKey });
  await expect(app({ privateKey: next.privateKey }).installation()).rejects.toThrow(/auth.privateKey/);
  await expect(app().installation()).resolves.toHaveProperty('account', gh.org);
});
