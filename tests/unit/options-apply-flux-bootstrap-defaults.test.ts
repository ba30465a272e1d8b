// Omitted options take `flux bootstrap --help`'s defaults; the schemas carry a description for
// every field (docs are generated from them); a bootstrap takes the options of every part.
import { CommitSchema, InstallSchema, Secret, SyncSchema, validateBootstrap, validateInstall, validateSync } from '../../provider/engine';

test('install options default like flux bootstrap', () => {
  expect(validateInstall({ version: 'v2.9.3' })).toEqual({
    version: 'v2.9.3',
    components: ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'],
    componentsExtra: [],
    namespace: 'flux-system',
    clusterDomain: 'cluster.local',
    networkPolicy: true,
    logLevel: 'info',
    watchAllNamespaces: true,
    registry: 'ghcr.io/fluxcd',
    imagePullSecret: '',
    tolerationKeys: [],
  });
});

test('sync options default like flux bootstrap', () => {
  expect(validateSync({ url: 'ssh://git@example.com/fleet' })).toEqual({
    url: 'ssh://git@example.com/fleet',
    branch: 'main',
    path: '',
    interval: '1m0s',
    secretName: 'flux-system',
    recurseSubmodules: false,
  });
});

test('commit options default like flux bootstrap', () => {
  const all = validateBootstrap({ version: 'v2.9.3', url: 'ssh://git@example.com/fleet' });
  expect([all.authorName, all.authorEmail, all.commitMessageAppendix]).toEqual(['Flux', '', '']);
});

test("validation never writes defaults into the caller's object", () => {
  const input = { version: 'v2.9.3' };
  validateInstall(input);
  expect(input).toEqual({ version: 'v2.9.3' });
});

test('registry credentials come back wrapped in a Secret', () => {
  const out = validateInstall({ version: 'v2.9.3', imagePullSecret: 'regcred', registryCredentials: 'robot:token' });
  expect(out.registryCredentials).toBeInstanceOf(Secret);
  expect(out.registryCredentials!.reveal()).toBe('robot:token');
  expect(JSON.stringify(out)).not.toContain('token');
});

test('every field of every schema has a description', () => {
  for (const schema of [InstallSchema, SyncSchema, CommitSchema]) {
    for (const [name, field] of Object.entries(schema.properties)) {
      expect([name, typeof (field as { description?: unknown }).description]).toEqual([name, 'string']);
    }
  }
});

test('a bootstrap takes every install, sync and commit option, and refuses a field of none', () => {
  const all = validateBootstrap({
    version: 'v2.9.3',
    url: 'ssh://git@example.com/fleet',
    namespace: 'flux',
    branch: 'dev',
    authorName: 'Bot',
  });
  expect([all.namespace, all.branch, all.authorName]).toEqual(['flux', 'dev', 'Bot']);
  const base = { version: 'v2.9.3', url: 'ssh://git@example.com/fleet' };
  expect(() => validateBootstrap({ ...base, namespcae: 'flux' })).toThrow(
    'invalid namespcae "flux": is not a known option. Fix: rename it to "namespace".',
  );
  expect(() => validateBootstrap({ ...base, cluster: 'prod' })).toThrow(
    /invalid cluster "prod": is not a known option\. Fix: remove it \(known options: version, .*namespace.*, url, .*branch.*, authorName/,
  );
});
