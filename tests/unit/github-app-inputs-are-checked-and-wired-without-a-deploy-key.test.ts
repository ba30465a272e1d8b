// repository.auth (a GitHub App): the schema checks the IDs and that the key is RSA, at preview,
// with the field, the value ([secret]) and the fix; the Bootstrap wires the App to the push and
// to Flux (provider: github, the githubApp* keys) and makes no deploy key.
import { generateKeyPairSync } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { checkGitHubAppAuth } from '../../schema/validate';
import { desiredState } from '../../provider/desired-state';
import { sourceSecret } from '../../provider/generate/secrets';
import { Bootstrap, type BootstrapArgs } from '../../provider/pulumi';
import * as controllerInstall from '../../provider/resources/controller-install';
import * as repository from '../../provider/resources/repository';
import { distribution } from './support/reference';

const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const ec = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

describe('the GitHub App schema', () => {
  test('accepts numeric IDs as numbers or strings and a PKCS#1 RSA key', () => {
    expect(checkGitHubAppAuth({ appId: 12345, installationId: '678', privateKey: rsa }).errors).toEqual([]);
  });

  test('a key that is not RSA, IDs that are not numbers, an unknown field: one message each, the key never shown', () => {
    const r = checkGitHubAppAuth({ appId: 'Iv1.abc', installationId: 0, privateKey: ec, token: 'x' });
    const messages = r.errors.map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^invalid appId "Iv1\.abc": must be the numeric App ID\. Fix: copy "App ID"/),
        expect.stringMatching(/^invalid installationId "0": must be the numeric installation ID/),
        expect.stringMatching(/^invalid token "x": is not a known option\. Fix: remove it/),
      ]),
    );
    const key = checkGitHubAppAuth({ appId: 1, installationId: 2, privateKey: ec }).errors;
    expect(key).toHaveLength(1);
    expect(key[0].field).toBe('privateKey');
    expect(key[0].message).toMatch(
      /^invalid privateKey \[secret\]: is an ec key, but GitHub Apps sign their JWTs with RS256 .*Fix: use a private key generated on the App's settings page/,
    );
    expect(key[0].message).not.toContain(ec.split('\n')[1]);
    const garbage = checkGitHubAppAuth({ appId: 1, installationId: 2, privateKey: 'not a key' }).errors;
    expect(garbage[0].message).toMatch(/^invalid privateKey \[secret\]: is not a readable PEM private key/);
  });
});

describe('GitHub App sync objects', () => {
  test('provider github goes into gotk-sync.yaml and the Secret carries the App, not a key or password', async () => {
    const dist = await distribution('v2.9.3');
    const d = desiredState(
      { version: 'v2.9.3', url: 'https://github.example.com/acme/fleet.git', path: 'clusters/prod', provider: 'github' },
      dist,
    );
    const sync = Object.entries(d.files).find(([p]) => p.endsWith('gotk-sync.yaml'))![1];
    expect(sync).toMatch(/\n  provider: github\n/);
    expect(d.deployKeyRequired).toBe(false);
    expect(d.secretShape.source.keys).toEqual(['githubAppID', 'githubAppInstallationID', 'githubAppPrivateKey']);
    const s = sourceSecret(d.secretShape.source, {
      githubApp: { appId: '1', installationId: '2', privateKey: rsa, baseUrl: 'https://github.example.com/api/v3' },
    });
    expect(Object.keys(s.stringData as object).sort()).toEqual([
      'githubAppBaseURL',
      'githubAppID',
      'githubAppInstallationID',
      'githubAppPrivateKey',
    ]);
    const plain = desiredState({ version: 'v2.9.3', url: 'https://github.example.com/acme/fleet.git', path: 'clusters/prod' }, dist);
    expect(Object.entries(plain.files).find(([p]) => p.endsWith('gotk-sync.yaml'))![1]).not.toContain('provider');
  });

  test('provider github with an ssh URL is refused, naming provider', async () => {
    const dist = await distribution('v2.9.3');
    expect(() => desiredState({ version: 'v2.9.3', url: 'ssh://git@github.com/acme/fleet', provider: 'github' }, dist)).toThrow(
      /invalid provider "github": must be "generic" for an ssh or http URL: GitHub App credentials work over https only\. Fix: use the https URL/,
    );
  });
});

describe('Repository check with a GitHub App', () => {
  test('token and auth together, auth on another host, and a bad key are failures at preview', async () => {
    const both = await repository.check(
      {},
      { host: 'github', owner: 'acme', name: 'fleet', token: 'ghp_x', auth: { appId: 1, installationId: 2, privateKey: rsa } },
    );
    expect(both.failures!.map((f) => f.property)).toEqual(['']);
    const gitlab = await repository.check(
      {},
      { host: 'gitlab', owner: 'acme', name: 'fleet', auth: { appId: 1, installationId: 2, privateKey: rsa } },
    );
    expect(gitlab.failures!.map((f) => f.property)).toEqual(['']);
    const ecKey = await repository.check(
      {},
      { host: 'github', owner: 'acme', name: 'fleet', auth: { appId: 1, installationId: 2, privateKey: ec } },
    );
    // Pulumi's failure names the top-level input; the message names the nested field
    expect(ecKey.failures).toEqual([{ property: '', reason: expect.stringMatching(/^invalid auth\.privateKey \[secret\]: is an ec key/) }]);
  });

  test('an unchanged App is not looked up again (no request: the API URL does not even resolve)', async () => {
    const inputs = {
      host: 'github',
      owner: 'acme',
      name: 'fleet',
      apiUrl: 'https://127.0.0.1:9/api/v3',
      auth: { appId: 1, installationId: 2, privateKey: rsa },
    };
    const r = await repository.check({ ...inputs }, inputs);
    expect(r.failures).toEqual([]);
  });
});

describe('Bootstrap with a GitHub App', () => {
  const registered: Array<{ type: string; inputs: Record<string, unknown> }> = [];
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, inputs: args.inputs });
          return {
            id: `${args.name}-id`,
            state: {
              ...args.inputs,
              commit: args.type.endsWith(':SyncManifests') ? 'c0ffee' : undefined,
              syncUrl: 'https://github.example.com/acme/fleet.git',
            },
          };
        },
        call: () => ({}),
      },
      'project',
      'stack',
      false,
    );
  });

  test('no deploy key; SyncManifests pushes as the App; Flux gets provider github and the App keys', async () => {
    const args: BootstrapArgs = {
      repository: {
        host: 'github',
        owner: 'acme',
        name: 'fleet',
        apiUrl: 'https://github.example.com',
        auth: { appId: '12', installationId: '34', privateKey: rsa },
      },
      path: 'clusters/prod',
      version: 'v2.9.3',
      cluster: { kubeconfig: 'apiVersion: v1' },
    };
    const b = new Bootstrap('app', args);
    await new Promise((r) => b.install.urn.apply(r));
    await new Promise((r) => setTimeout(r, 50));
    const types = registered.map((r) => r.type.split(':').pop());
    expect(types).not.toContain('DeployKey');
    const manifests = registered.find((r) => r.type.endsWith(':SyncManifests'))!.inputs;
    expect(manifests.provider).toBe('github');
    // auth and credentials are secret inputs: they reach the engine in a secret envelope
    expect(manifests.auth).toEqual(
      secret(
        expect.objectContaining({
          githubApp: expect.objectContaining({ appId: '12', installationId: '34', apiUrl: 'https://github.example.com' }),
        }),
      ),
    );
    const install = registered.find((r) => r.type.endsWith(':ControllerInstall'))!.inputs;
    expect(install.provider).toBe('github');
    expect(install.credentials).toEqual(
      secret({
        githubAppId: '12',
        githubAppInstallationId: '34',
        githubAppPrivateKey: rsa,
        githubAppBaseUrl: 'https://github.example.com/api/v3',
      }),
    );
  });

  test('a non-RSA App key fails at construction, before anything is registered', () => {
    const n = registered.length;
    expect(
      () =>
        new Bootstrap('bad-app', {
          repository: { host: 'github', owner: 'acme', name: 'fleet', auth: { appId: '12', installationId: '34', privateKey: ec } },
          path: 'clusters/prod',
          version: 'v2.9.3',
          cluster: { kubeconfig: 'apiVersion: v1' },
        }),
    ).toThrow(/invalid repository\.auth\.privateKey \[secret\]: is an ec key/);
    expect(registered.length).toBe(n);
  });
});

describe('rotating the App key is a planned update, never a replacement', () => {
  test('Repository and ControllerInstall update in place when only the key changes', async () => {
    const next = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const repo = { host: 'github', owner: 'acme', name: 'fleet', visibility: 'private', create: true, forceDestroy: false };
    const r = await repository.diff(
      'id',
      { ...repo, auth: { appId: '1', installationId: '2', privateKey: rsa } },
      { ...repo, auth: { appId: '1', installationId: '2', privateKey: next } },
    );
    expect(r).toMatchObject({ changes: true, replaces: [] });
    const creds = (key: string) => ({ githubAppId: '1', githubAppInstallationId: '2', githubAppPrivateKey: key });
    const install = { namespace: 'flux-system', desiredHash: 'h', objectsHash: 'h', drift: [] };
    const c = await controllerInstall.diff('id', { ...install, credentials: creds(rsa) }, { ...install, credentials: creds(next) });
    expect(c).toMatchObject({ changes: true, replaces: [] });
  });
});

test('SyncManifests takes the App with its API URL as push auth', async () => {
  const { checkAuth } = await import('../../provider/resources/git-auth');
  expect(
    checkAuth(
      { githubApp: { appId: '1', installationId: '2', privateKey: rsa, apiUrl: 'https://ghe.example.com/api/v3' } },
      'https://ghe.example.com/acme/fleet.git',
    ),
  ).toEqual([]);
  expect(
    checkAuth(
      { githubApp: { appId: '1', installationId: '2', privateKey: rsa, apiUrl: 'ftp://x' } },
      'https://ghe.example.com/acme/fleet.git',
    ).map((e) => e.field),
  ).toEqual(['auth.githubApp.apiUrl']);
});

/** How a value marked secret reaches the mocked engine. */
function secret(value: unknown): Record<string, unknown> {
  return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}
