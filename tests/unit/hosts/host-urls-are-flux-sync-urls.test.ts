// Where each host's API is and which clone URLs flux gets, computed without any request so a
// preview can show them: ssh://git@<host>/<owner>/<repo> and https://<host>/<owner>/<repo>.git.
import { InputError } from '../../../provider/errors';
import {
  createGitHost,
  GitHubHost,
  GitLabHost,
  GiteaHost,
  PlainGitHost,
  githubEndpoints,
  gitlabEndpoints,
  giteaEndpoints,
} from '../../../provider/hosts';

const ref = { owner: 'acme', name: 'fleet' };

test('github.com: API at api.github.com, flux URLs on github.com', () => {
  expect(githubEndpoints(undefined)).toEqual({
    apiUrl: 'https://api.github.com',
    webUrl: 'https://github.com',
    sshHost: 'github.com',
    hostLabel: 'github.com',
  });
  const h = new GitHubHost({ token: 't' });
  expect(h.cloneUrl(ref, 'ssh')).toBe('ssh://git@github.com/acme/fleet');
  expect(h.cloneUrl(ref, 'https')).toBe('https://github.com/acme/fleet.git');
});

test('GitHub Enterprise: the base URL may be given with or without /api/v3', () => {
  for (const u of [
    'https://ghe.example.com',
    'https://ghe.example.com/',
    'https://ghe.example.com/api/v3',
    'https://ghe.example.com/api/v3/',
  ]) {
    expect(githubEndpoints(u)).toEqual({
      apiUrl: 'https://ghe.example.com/api/v3',
      webUrl: 'https://ghe.example.com',
      sshHost: 'ghe.example.com',
      hostLabel: 'ghe.example.com',
    });
  }
  // an HTTPS port is not the SSH port; --ssh-hostname style override for that
  expect(githubEndpoints('https://ghe.example.com:8443/api/v3')).toMatchObject({
    sshHost: 'ghe.example.com',
    hostLabel: 'ghe.example.com:8443',
  });
  expect(githubEndpoints('https://ghe.example.com', { sshHost: 'ssh.ghe.example.com:2222' }).sshHost).toBe('ssh.ghe.example.com:2222');
});

test('GitLab: gitlab.com by default, self-managed with a relative URL path, subgroups in the path', () => {
  expect(gitlabEndpoints(undefined)).toEqual({
    apiUrl: 'https://gitlab.com/api/v4',
    webUrl: 'https://gitlab.com',
    sshHost: 'gitlab.com',
    hostLabel: 'gitlab.com',
  });
  expect(gitlabEndpoints('https://example.com/gitlab/api/v4')).toMatchObject({
    apiUrl: 'https://example.com/gitlab/api/v4',
    webUrl: 'https://example.com/gitlab',
  });
  const h = new GitLabHost({ token: 't', baseUrl: 'https://git.example.com' });
  expect(h.cloneUrl({ owner: 'group/sub', name: 'fleet' }, 'ssh')).toBe('ssh://git@git.example.com/group/sub/fleet');
  expect(h.cloneUrl({ owner: 'group/sub', name: 'fleet' }, 'https')).toBe('https://git.example.com/group/sub/fleet.git');
});

test('Gitea: gitea.com by default, the SSH port when it is not 22', () => {
  expect(giteaEndpoints(undefined).apiUrl).toBe('https://gitea.com/api/v1');
  const h = new GiteaHost({ token: 't', baseUrl: 'http://127.0.0.1:3000', sshHost: '127.0.0.1:2222' });
  expect(h.cloneUrl(ref, 'ssh')).toBe('ssh://git@127.0.0.1:2222/acme/fleet');
  expect(h.cloneUrl(ref, 'https')).toBe('http://127.0.0.1:3000/acme/fleet.git');
});

test('the sync URL follows the sync transport; plain git syncs from the URL given', () => {
  expect(new GitHubHost({ token: 't', syncTransport: 'https' }).syncTransport).toBe('https');
  const plain = new PlainGitHost({ url: 'ssh://git@git.example.com:2222/fleet.git' });
  expect(plain.cloneUrl(ref, 'ssh')).toBe('ssh://git@git.example.com:2222/fleet.git');
  expect(plain.hostLabel).toBe('git.example.com:2222');
  expect(new PlainGitHost({ url: 'git@git.example.com:fleet.git' }).hostLabel).toBe('git.example.com');
  expect(new PlainGitHost({ url: 'https://git.example.com/fleet.git' }).syncTransport).toBe('https');
});

test('bad base URLs and missing tokens fail at construction, naming the field', () => {
  const field = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof InputError ? e.field : `not an InputError: ${String(e)}`;
    }
    return 'no error';
  };
  expect(field(() => githubEndpoints('ftp://ghe.example.com'))).toBe('baseUrl');
  expect(field(() => gitlabEndpoints('not a url'))).toBe('baseUrl');
  expect(field(() => giteaEndpoints('https://admin:pw@gitea.example.com'))).toBe('baseUrl');
  expect(field(() => new GitHubHost({ token: '' }))).toBe('token');
  expect(field(() => new PlainGitHost({ url: 'fleet' }))).toBe('url');
  expect(field(() => new PlainGitHost({ url: 'https://bot:glpat-abcdefghijklmnop@git.example.com/fleet.git' }))).toBe('url');
  expect(field(() => new PlainGitHost({ url: 'ssh://h/r', addKeyCommand: 'register-key' as unknown as string[] }))).toBe('addKeyCommand');
  expect(field(() => createGitHost({ provider: 'bitbucket' } as never))).toBe('provider');
});

test('a credentialed base URL is refused without echoing the password', () => {
  try {
    giteaEndpoints('https://admin:hunter2-pw@gitea.example.com');
  } catch (e) {
    expect((e as Error).message).toMatch(/must not carry credentials.*Fix: /);
    expect((e as Error).message).not.toContain('hunter2-pw');
    return;
  }
  throw new Error('expected an error');
});

test("a plain git server loads none of the API hosts' modules or clients", () => {
  // a fresh process: the module cache shows what making the host loaded
  const script = `
    const { createGitHost } = require(${JSON.stringify(require.resolve('../../../provider/hosts/create'))});
    const host = createGitHost({ provider: 'git', url: 'ssh://git@git.example.com/fleet.git' });
    const loaded = Object.keys(require.cache).filter((f) => /@octokit|@gitbeaker|hosts[\\\\/](github|gitlab|gitea)\\.js/.test(f));
    console.log(JSON.stringify({ kind: host.constructor.name, loaded }));`;
  const out = require('node:child_process').execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }) as string;
  expect(JSON.parse(out)).toEqual({ kind: 'PlainGitHost', loaded: [] });
});
