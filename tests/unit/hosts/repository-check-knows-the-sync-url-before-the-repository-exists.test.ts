// Repository's check computes the repository's URLs from its inputs, so a preview knows the URL
// Flux pulls from (and so gotk-sync.yaml) before the repository exists; they are the URLs the
// host implementations return after their API calls, for every host and transport.
import { createGitHost, type HostConfig } from '../../../provider/hosts';
import { repositoryUrls, type RepositoryUrlInputs } from '../../../provider/hosts/repository-urls';
import { UNKNOWN } from '../../../provider/resources/common';
import * as repository from '../../../provider/resources/repository';

const CASES: Array<[string, RepositoryUrlInputs, boolean]> = [
  ['github.com over ssh', { host: 'github', owner: 'acme', name: 'fleet' }, false],
  [
    'GitHub Enterprise, ssh on its own host and port',
    { host: 'github', owner: 'acme', name: 'fleet', apiUrl: 'https://ghe.example.com/api/v3', sshHost: 'ssh.ghe.example.com:2222' },
    false,
  ],
  ['github over https', { host: 'github', owner: 'acme', name: 'fleet', syncTransport: 'https' }, false],
  ['a GitHub App (https)', { host: 'github', owner: 'acme', name: 'fleet' }, true],
  [
    'self-managed GitLab with a subgroup',
    { host: 'gitlab', owner: 'group/sub', name: 'fleet', apiUrl: 'https://example.com/gitlab/api/v4' },
    false,
  ],
  ['Gitea on a port', { host: 'gitea', owner: 'acme', name: 'fleet', apiUrl: 'http://127.0.0.1:3000', sshHost: '127.0.0.1:2222' }, false],
  ['plain git', { host: 'git', url: 'ssh://git@git.example.com:2222/fleet.git' }, false],
];

test.each(CASES)('%s: the URLs equal what the host returns', (_name, i, app) => {
  const config = (
    i.host === 'git'
      ? { provider: 'git', url: i.url }
      : { provider: i.host, token: 't', baseUrl: i.apiUrl, sshHost: i.sshHost, syncTransport: app ? 'https' : i.syncTransport }
  ) as HostConfig;
  const host = createGitHost(config);
  const ref = { owner: i.owner ?? '', name: i.name ?? '' };
  const ssh = host.cloneUrl(ref, 'ssh');
  const https = host.cloneUrl(ref, 'https');
  expect(repositoryUrls(i, app)).toEqual({
    pushUrl: i.host === 'git' ? i.url : https,
    syncUrl: host.syncTransport === 'ssh' ? ssh : https,
    httpsUrl: https,
    sshUrl: ssh,
  });
});

test('check adds the URLs to the inputs, known at preview', async () => {
  const r = await repository.check({}, { host: 'github', owner: 'acme', name: 'fleet', token: 'ghp_x' });
  expect(r.failures).toEqual([]);
  expect(r.inputs).toMatchObject({
    syncUrl: 'ssh://git@github.com/acme/fleet',
    pushUrl: 'https://github.com/acme/fleet.git',
    sshUrl: 'ssh://git@github.com/acme/fleet',
    httpsUrl: 'https://github.com/acme/fleet.git',
  });
  const plain = await repository.check({}, { host: 'git', url: 'ssh://git@git.example.com/fleet' });
  expect(plain.inputs).toMatchObject({ syncUrl: 'ssh://git@git.example.com/fleet', pushUrl: 'ssh://git@git.example.com/fleet' });
});

test('an unknown host input leaves the URLs unknown (absent), and bad input adds none', async () => {
  expect((await repository.check({}, { host: 'github', owner: UNKNOWN, name: 'fleet', token: 'ghp_x' })).inputs?.syncUrl).toBeUndefined();
  const bad = await repository.check({}, { host: 'git', url: 'not a url' });
  expect(bad.failures).toHaveLength(1);
  expect(bad.inputs?.syncUrl).toBeUndefined();
});

test('a URL change is the repository identity: diff replaces it; the computed URLs never count on their own', async () => {
  const olds = (await repository.check({}, { host: 'git', url: 'ssh://git@a.example.com/fleet' })).inputs!;
  const moved = (await repository.check(olds, { host: 'git', url: 'ssh://git@b.example.com/fleet' })).inputs!;
  expect(await repository.diff('git:x', olds, moved)).toMatchObject({ changes: true, replaces: ['url'] });
  // a state from before the URLs were computed in check: the same repository, no change
  const { syncUrl: _s, pushUrl: _p, httpsUrl: _h, sshUrl: _x, ...older } = olds;
  expect(await repository.diff('git:x', older, olds)).toMatchObject({ changes: false });
});
