// desiredState: git blob ids of the files, the objects in Flux's apply order, the secrets' shape.
import { spawnSync } from 'node:child_process';
import {
  desiredState,
  dockerConfigJson,
  gitBlobId,
  imagePullSecret,
  InputErrors,
  Secret,
  sourceSecret,
  type DesiredState,
} from '../../provider/engine';
import { distribution, GOLDEN_OPTIONS } from './support/reference';

let state: DesiredState;
beforeAll(async () => {
  state = desiredState(GOLDEN_OPTIONS, await distribution('v2.9.3'));
});

test('blob ids are what git computes for the file contents', () => {
  const file = 'clusters/development/flux-system/gotk-sync.yaml';
  const git = spawnSync('git', ['hash-object', '--stdin'], { input: state.files[file], encoding: 'utf8' });
  const expected = git.status === 0 ? git.stdout.trim() : undefined;
  expect(gitBlobId('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  expect(gitBlobId('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  if (expected) expect(state.blobIds[file]).toBe(expected);
  for (const [p, content] of Object.entries(state.files)) expect(state.blobIds[p]).toBe(gitBlobId(content));
});

test('objects: Namespace and CRDs first, then the rest in file order, then GitRepository and Kustomization', () => {
  const kinds = state.objects.map((o) => o.kind as string);
  const firstOther = kinds.findIndex((k) => k !== 'Namespace' && k !== 'CustomResourceDefinition');
  expect(kinds[0]).toBe('Namespace');
  expect(kinds.slice(0, firstOther).every((k) => k === 'Namespace' || k === 'CustomResourceDefinition')).toBe(true);
  expect(kinds.slice(firstOther).filter((k) => k === 'CustomResourceDefinition')).toEqual([]);
  expect(kinds.slice(-2)).toEqual(['GitRepository', 'Kustomization']);
  expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(6);
});

test("commit messages are flux bootstrap's, with the appendix after a blank line", async () => {
  expect(state.commitMessages).toEqual({ components: 'Add Flux v2.9.3 component manifests', sync: 'Add Flux sync manifests' });
  const withAppendix = desiredState({ ...GOLDEN_OPTIONS, commitMessageAppendix: '[skip ci]' }, await distribution('v2.9.3'));
  expect(withAppendix.commitMessages.sync).toBe('Add Flux sync manifests\n\n[skip ci]');
});

test('the commit author defaults to Flux and follows authorName and authorEmail', async () => {
  expect(state.commitAuthor).toEqual({ name: 'Flux', email: '' });
  const custom = desiredState({ ...GOLDEN_OPTIONS, authorName: 'Fleet Bot', authorEmail: 'bot@example.com' }, await distribution('v2.9.3'));
  expect(custom.commitAuthor).toEqual({ name: 'Fleet Bot', email: 'bot@example.com' });
});

test('an SSH URL needs identity, identity.pub and known_hosts, and a deploy key', () => {
  expect(state.secretShape.source).toEqual({
    name: 'flux-system',
    namespace: 'flux-system',
    type: 'Opaque',
    transport: 'ssh',
    keys: ['identity', 'identity.pub', 'known_hosts'],
    optionalKeys: ['password', 'ca.crt'],
    knownHostsName: 'github.com',
  });
  expect(state.deployKeyRequired).toBe(true);
});

test('a non-standard SSH port is written as [host]:port in known_hosts', async () => {
  const s = desiredState({ ...GOLDEN_OPTIONS, url: 'ssh://git@git.example.com:2222/fleet' }, await distribution('v2.9.3'));
  expect(s.secretShape.source.knownHostsName).toBe('[git.example.com]:2222');
});

test('an HTTPS URL needs username and password or a bearer token, and no deploy key', async () => {
  const s = desiredState({ ...GOLDEN_OPTIONS, url: 'https://github.com/org/fleet.git' }, await distribution('v2.9.3'));
  expect(s.secretShape.source.keys).toEqual([]);
  expect(s.secretShape.source.oneOf).toEqual([['username', 'password'], ['bearerToken']]);
  expect(s.deployKeyRequired).toBe(false);
});

test('registry credentials add the image pull secret to the shape, without the value', async () => {
  const s = desiredState(
    { ...GOLDEN_OPTIONS, imagePullSecret: 'regcred', registryCredentials: new Secret('robot:t0ken') },
    await distribution('v2.9.3'),
  );
  expect(s.secretShape.imagePull).toEqual({
    name: 'regcred',
    namespace: 'flux-system',
    type: 'kubernetes.io/dockerconfigjson',
    keys: ['.dockerconfigjson'],
    registry: 'ghcr.io/fluxcd',
  });
  expect(JSON.stringify(s)).not.toContain('t0ken');
});

test('the docker config JSON is what Go encodes: username, password, base64 auth, HTML-safe escapes', () => {
  expect(dockerConfigJson('ghcr.io/fluxcd', new Secret('robot:p<w>&'))).toBe(
    '{"auths":{"ghcr.io/fluxcd":{"username":"robot","password":"p\\u003cw\\u003e\\u0026","auth":"cm9ib3Q6cDx3PiY="}}}',
  );
  const secret = imagePullSecret(
    {
      name: 'regcred',
      namespace: 'flux-system',
      type: 'kubernetes.io/dockerconfigjson',
      keys: ['.dockerconfigjson'],
      registry: 'ghcr.io/fluxcd',
    },
    'u:p',
  );
  expect(secret).toEqual({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'regcred', namespace: 'flux-system' },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': '{"auths":{"ghcr.io/fluxcd":{"username":"u","password":"p","auth":"dTpw"}}}' },
  });
});

test('the flux-system Secret carries the SSH key material as stringData', () => {
  const s = sourceSecret(
    { name: 'flux-system', namespace: 'flux-system' },
    {
      ssh: {
        identity: new Secret('-----BEGIN OPENSSH PRIVATE KEY-----\n...\n'),
        identityPub: 'ssh-ed25519 AAAA\n',
        knownHosts: 'github.com ssh-ed25519 AAAA',
      },
    },
  );
  expect(s).toEqual({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    stringData: {
      identity: '-----BEGIN OPENSSH PRIVATE KEY-----\n...\n',
      'identity.pub': 'ssh-ed25519 AAAA\n',
      known_hosts: 'github.com ssh-ed25519 AAAA',
    },
  });
  const https = sourceSecret(
    { name: 'flux-system', namespace: 'flux-system' },
    { basicAuth: { username: 'git', password: 'token' } },
    'CA',
  );
  expect(https.stringData).toEqual({ username: 'git', password: 'token', 'ca.crt': 'CA' });
});

test('options for another version than the distribution are refused', async () => {
  const dist = await distribution('v2.9.3');
  expect(() => desiredState({ ...GOLDEN_OPTIONS, version: 'v2.8.5' }, dist)).toThrow(InputErrors);
  expect(() => desiredState({ ...GOLDEN_OPTIONS, version: 'v2.8.5' }, dist)).toThrow(
    `invalid version "v2.8.5": does not match the distribution, which is Flux v2.9.3 (${dist.source}). Fix: use "v2.9.3" or load the manifests of v2.8.5.`,
  );
});

test('desiredState is pure: the same inputs give the same files twice', async () => {
  const again = desiredState(GOLDEN_OPTIONS, await distribution('v2.9.3'));
  expect(again.files).toEqual(state.files);
  expect(again.blobIds).toEqual(state.blobIds);
});
