// Day-2 changes judged by diff, with no network: another API server in `cluster` replaces
// ControllerInstall (create before delete); new credentials for the same server update it; a
// new namespace replaces the install (delete first) but only moves SyncManifests' files.
import * as controllerInstall from '../../provider/resources/controller-install';
import * as syncManifests from '../../provider/resources/sync-manifests';
import { serverOf, serverOfKubeconfig } from '../../provider/cluster/server-of';
import { UNKNOWN } from '../../provider/resources/common';
import { distributionDir } from '../harness/flux-reference';

const SYNC = { version: 'v2.9.3', url: 'ssh://git@git.example.com/fleet', path: 'clusters/prod', distribution: distributionDir('v2.9.3') };
const kubeconfig = (server: string, token = 't') =>
  [
    'apiVersion: v1',
    'kind: Config',
    'current-context: a',
    'clusters:',
    '- name: one',
    '  cluster:',
    `    server: ${server}`,
    '- name: two',
    '  cluster:',
    '    server: https://two.example:6443',
    'contexts:',
    '- name: a',
    '  context: {cluster: one, user: u}',
    '- name: b',
    '  context: {cluster: two, user: u}',
    'users:',
    '- name: u',
    '  user:',
    `    token: ${token}`,
  ].join('\n');
const INSTALL = {
  ...SYNC,
  cluster: { kubeconfig: kubeconfig('https://one.example:6443') },
  credentials: { privateKey: 'p', publicKey: 'q', knownHosts: 'r' },
  commit: 'c1',
};
const ID = 'https://one.example:6443/flux-system';

async function stored() {
  const inputs = (await controllerInstall.check({}, INSTALL)).inputs as Record<string, unknown>;
  return { inputs, outputs: { ...inputs, objectsHash: inputs.desiredHash, drift: [], server: 'https://one.example:6443' } };
}

test('the server of a kubeconfig is that of its context (default current-context), without connecting', () => {
  expect(serverOfKubeconfig(kubeconfig('https://one.example:6443/'))).toBe('https://one.example:6443');
  expect(serverOfKubeconfig(kubeconfig('x'), 'b')).toBe('https://two.example:6443');
  expect(serverOf({ host: 'https://10.0.0.1:6443/' })).toBe('https://10.0.0.1:6443');
  expect(serverOf({ kubeconfigPath: '/does/not/exist' })).toBeUndefined();
  expect(serverOfKubeconfig('not: [yaml')).toBeUndefined();
});

test('another API server replaces the install, creating the new one before deleting the old', async () => {
  const { inputs, outputs } = await stored();
  const moved = (await controllerInstall.check(inputs, { ...INSTALL, cluster: { kubeconfig: kubeconfig('https://new.example:6443') } }))
    .inputs;
  expect(await controllerInstall.diff(ID, outputs, moved)).toEqual({ changes: true, replaces: ['cluster'], deleteBeforeReplace: false });
  const context = (await controllerInstall.check(inputs, { ...INSTALL, cluster: { kubeconfig: INSTALL.cluster.kubeconfig, context: 'b' } }))
    .inputs;
  expect((await controllerInstall.diff(ID, outputs, context)).replaces).toEqual(['cluster']);
  // a state from before `server` was recorded: the id says where it was installed
  const { server: _s, ...older } = outputs;
  expect((await controllerInstall.diff(ID, older, moved)).replaces).toEqual(['cluster']);
});

test('new credentials for the same server, or a cluster not known yet at preview, update in place', async () => {
  const { inputs, outputs } = await stored();
  const rotated = (
    await controllerInstall.check(inputs, { ...INSTALL, cluster: { kubeconfig: kubeconfig('https://one.example:6443', 'rotated') } })
  ).inputs;
  expect(await controllerInstall.diff(ID, outputs, rotated)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
  expect((await controllerInstall.diff(ID, outputs, { ...inputs, cluster: UNKNOWN })).replaces).toEqual([]);
});

test("a new namespace moves SyncManifests' files in one update, and replaces the install", async () => {
  const inputs = (await syncManifests.check({}, SYNC)).inputs as Record<string, unknown>;
  const outputs = { ...inputs, files: inputs.desiredFiles, commit: 'c', headSha: 'c', directory: 'clusters/prod/flux-system' };
  const moved = (await syncManifests.check(outputs, { ...SYNC, namespace: 'flux' })).inputs;
  expect(await syncManifests.diff('id', outputs, moved)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  expect(String(moved.plan).split('\n')[0]).toBe('move clusters/prod/flux-system -> clusters/prod/flux');
  const { inputs: installed, outputs: installOut } = await stored();
  const ns = (await controllerInstall.check(installed, { ...INSTALL, namespace: 'flux' })).inputs;
  expect(await controllerInstall.diff(ID, installOut, ns)).toEqual({ changes: true, replaces: ['namespace'], deleteBeforeReplace: true });
});

test('an unchanged inline cluster keeps the recorded server without parsing its kubeconfig; a kubeconfigPath is read again', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { movedTo } = await import('../../provider/resources/install-replacement');
  // the recorded server differs from what the kubeconfig says: only a parse would notice, and
  // the same inline spec as at the last apply is not parsed again
  const olds = { cluster: INSTALL.cluster, server: 'https://recorded.example:6443' };
  expect(movedTo(ID, olds, { cluster: { kubeconfig: INSTALL.cluster.kubeconfig } })).toBeUndefined();
  expect(movedTo(ID, olds, { cluster: { kubeconfig: kubeconfig('https://new.example:6443') } })).toBe('https://new.example:6443');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-')), 'config');
  fs.writeFileSync(file, kubeconfig('https://one.example:6443'));
  const byPath = { cluster: { kubeconfigPath: file }, server: 'https://one.example:6443' };
  expect(movedTo(ID, byPath, { cluster: { kubeconfigPath: file } })).toBeUndefined();
  fs.writeFileSync(file, kubeconfig('https://elsewhere.example:6443')); // the same path, another cluster
  expect(movedTo(ID, byPath, { cluster: { kubeconfigPath: file } })).toBe('https://elsewhere.example:6443');
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
