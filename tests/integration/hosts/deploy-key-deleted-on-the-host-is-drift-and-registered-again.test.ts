// harness: github-api, gitlab-api, gitea
// The deploy key lives on the host (issue 14, scenario 5). DeployKey's refresh asks the host for
// the registered key by id (one request); a key deleted there is drift, and the update that
// follows registers it again. A known_hosts pinned at create is kept on update and compared
// with what the server presents: a changed host key is an error naming both fingerprints.
// Against fake-github and fake-gitlab (every request checked against the API description) and
// a real Gitea.
import { randomBytes } from 'node:crypto';
import { GiteaHost, GitHubHost, GitLabHost, type GitHost } from '../../../provider/hosts';
import { fingerprintOf, generateDeployKey } from '../../../provider/keys';
import * as deployKey from '../../../provider/resources/deploy-key';
import { expectNoViolations, requestLog } from '../../harness/fake-api-client';
import type { FakeGitHubInfo } from '../../harness/fake-github';
import type { FakeGitLabInfo } from '../../harness/fake-gitlab';
import type { GiteaInfo } from '../../harness/gitea';
import { harnessInfo } from '../../harness/state';

interface HostUnderTest {
  host: 'github' | 'gitlab' | 'gitea';
  apiUrl: string;
  token: string;
  owner: string;
  sshHost: string;
  knownHosts: string;
  client: () => GitHost;
  /** fakes only: the API requests made so far */
  requests?: () => Promise<string[]>;
  controlUrl?: string;
}

const hosts: Record<string, () => HostUnderTest> = {
  'fake GitHub': () => {
    const gh = harnessInfo<FakeGitHubInfo>('github-api');
    return {
      host: 'github',
      apiUrl: gh.apiUrl,
      token: gh.token,
      owner: gh.login,
      sshHost: gh.sshHost,
      knownHosts: gh.knownHosts,
      controlUrl: gh.controlUrl,
      client: () => new GitHubHost({ token: gh.token, baseUrl: gh.apiUrl, sshHost: gh.sshHost }),
      requests: async () => (await requestLog(gh.controlUrl)).map((r) => `${r.method} ${r.path}`),
    };
  },
  'fake GitLab': () => {
    const gl = harnessInfo<FakeGitLabInfo>('gitlab-api');
    return {
      host: 'gitlab',
      apiUrl: gl.webUrl,
      token: gl.token,
      owner: gl.login,
      sshHost: gl.sshHost,
      knownHosts: gl.knownHosts,
      controlUrl: gl.controlUrl,
      client: () => new GitLabHost({ token: gl.token, baseUrl: gl.webUrl, sshHost: gl.sshHost }),
      requests: async () => (await requestLog(gl.controlUrl)).map((r) => `${r.method} ${r.path}`),
    };
  },
  'real Gitea': () => {
    const gt = harnessInfo<GiteaInfo>('gitea');
    return {
      host: 'gitea',
      apiUrl: gt.baseUrl,
      token: gt.token,
      owner: gt.login,
      sshHost: gt.sshHost,
      knownHosts: gt.knownHosts,
      client: () => new GiteaHost({ token: gt.token, baseUrl: gt.baseUrl, sshHost: gt.sshHost }),
    };
  },
};

/** What Pulumi hands create: the checked inputs. */
async function inputsFor(h: HostUnderTest, name: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const raw = { host: h.host, owner: h.owner, name, token: h.token, apiUrl: h.apiUrl, sshHost: h.sshHost, ...extra };
  const r = await deployKey.check({}, raw);
  expect(r.failures).toEqual([]);
  return r.inputs as Record<string, unknown>;
}

describe.each(Object.keys(hosts))('DeployKey on the %s', (label) => {
  let h: HostUnderTest;
  let api: GitHost;
  beforeAll(() => {
    h = hosts[label]();
    api = h.client();
  });
  afterEach(async () => {
    if (h.controlUrl) await expectNoViolations(h.controlUrl);
  });

  test('a key deleted on the host shows up as drift at refresh (one request), and the update registers it again', async () => {
    const name = `dk-${randomBytes(3).toString('hex')}`;
    await api.ensureRepository({ owner: h.owner, name, create: true });
    const inputs = await inputsFor(h, name);
    const made = await deployKey.create(inputs);
    const outs = made.outs as Record<string, unknown>;
    const keyId = String(outs.keyId);

    // refresh with the key in place: no drift, one get-by-id request
    const before = (await h.requests?.())?.length ?? 0;
    const fresh = await deployKey.read(made.id, outs);
    expect(fresh.props?.drift ?? []).toEqual([]);
    if (h.requests)
      expect((await h.requests()).slice(before)).toEqual([
        expect.stringMatching(new RegExp(`^GET .*/keys/${keyId}$|^GET .*/deploy_keys/${keyId}$`)),
      ]);
    expect((await deployKey.diff(made.id, fresh.props, inputs)).changes).toBe(false);

    // someone deletes the key in the host's settings
    await api.deleteDeployKey({ owner: h.owner, name, id: keyId });
    const drifted = await deployKey.read(made.id, outs);
    const drift = drifted.props!.drift as string[];
    expect(drift).toEqual([expect.stringContaining('is no longer registered')]);
    expect(drift[0]).toContain(String(outs.fingerprint));
    const d = await deployKey.diff(made.id, drifted.props, inputs);
    expect(d).toMatchObject({ changes: true, replaces: [] }); // the same key, registered again

    const updated = await deployKey.update(made.id, drifted.props, inputs);
    const now = updated.outs as Record<string, unknown>;
    expect(now.publicKey).toBe(outs.publicKey);
    expect(now.drift).toEqual([]);
    const registered = await api.getDeployKey!({ owner: h.owner, name, id: String(now.keyId) });
    expect(registered?.key.split(' ').slice(0, 2)).toEqual(String(outs.publicKey).split(' ').slice(0, 2));
    expect((await deployKey.read(made.id, now)).props?.drift).toEqual([]);
    await deployKey.delete(made.id, now);
    expect(await api.getDeployKey!({ owner: h.owner, name, id: String(now.keyId) })).toBeNull();
  });

  test('known_hosts pinned at create is kept on update; a host key that changed fails and names both fingerprints', async () => {
    const name = `kh-${randomBytes(3).toString('hex')}`;
    await api.ensureRepository({ owner: h.owner, name, create: true });
    const inputs = await inputsFor(h, name);
    const made = await deployKey.create(inputs);
    const outs = made.outs as Record<string, unknown>;
    const scanned = String(outs.knownHosts);
    const [hostField, type, blob] = scanned.split(' ');
    expect(hostField).toBe(`[${h.sshHost.replace(':', ']:')}`);

    // the pin as stored (here with an alias the scan would never write) survives an update
    const pinned = `${hostField},git-alias.example ${type} ${blob}`;
    const kept = await deployKey.update(made.id, { ...outs, knownHosts: pinned }, inputs);
    expect((kept.outs as Record<string, unknown>).knownHosts).toBe(pinned);

    // the server presents another key than the pinned one
    const other = generateDeployKey({ algorithm: 'ed25519' });
    const otherPin = `${hostField} ${other.publicKey.split(' ').slice(0, 2).join(' ')}`;
    const err = await deployKey.update(made.id, { ...outs, knownHosts: otherPin }, inputs).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).not.toBeNull();
    expect(err!.message).toContain(`the SSH host key of ${hostField} changed`);
    expect(err!.message).toContain(other.fingerprint);
    expect(err!.message).toContain(fingerprintOf(Buffer.from(blob, 'base64')));
    expect(err!.message).toMatch(/Fix: .*knownHosts/);
    await deployKey.delete(made.id, kept.outs as Record<string, unknown>);
  });
});
