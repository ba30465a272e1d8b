// diff() is local: blob ids and object hashes against the stored outputs, no network. These
// tests run with no git server and no cluster, which is the point.
import * as controllerInstall from '../../provider/resources/controller-install';
import * as deployKey from '../../provider/resources/deploy-key';
import * as repository from '../../provider/resources/repository';
import * as syncManifests from '../../provider/resources/sync-manifests';
import { UNKNOWN } from '../../provider/resources/common';
import { countLineChanges } from '../../provider/resources/line-diff';
import { commitMessage, fileChanges } from '../../provider/resources/sync-files';
import type { DesiredState } from '../../provider/desired-state';
import { distributionDir } from '../harness/flux-reference';

const dist = distributionDir;
const SYNC = { version: 'v2.9.3', url: 'ssh://git@git.example.com/fleet', path: 'clusters/prod', distribution: dist('v2.9.3') };
const DIR = 'clusters/prod/flux-system';

describe('fileChanges', () => {
  const desired = { [`${DIR}/gotk-components.yaml`]: 'a1', [`${DIR}/gotk-sync.yaml`]: 'b1' };
  const observed = { ...desired, [`${DIR}/kustomization.yaml`]: 'user-edited' };

  test('nothing to do when the blob ids match; a user-edited kustomization.yaml is left alone', () => {
    expect(fileChanges(desired, observed, DIR)).toEqual({ write: [], remove: [] });
  });

  test('a changed or deleted file is written again', () => {
    const { [`${DIR}/gotk-sync.yaml`]: _gone, ...rest } = observed;
    expect(fileChanges({ ...desired, [`${DIR}/gotk-components.yaml`]: 'a2' }, rest, DIR)).toEqual({
      write: [`${DIR}/gotk-components.yaml`, `${DIR}/gotk-sync.yaml`],
      remove: [],
    });
  });

  test('an absent kustomization.yaml is written, like flux', () => {
    expect(fileChanges(desired, desired, DIR)).toEqual({ write: [`${DIR}/kustomization.yaml`], remove: [] });
  });

  test('a new path moves every file in one change', () => {
    const moved = { 'clusters/new/flux-system/gotk-components.yaml': 'a1', 'clusters/new/flux-system/gotk-sync.yaml': 'b2' };
    expect(fileChanges(moved, observed, 'clusters/new/flux-system')).toEqual({
      write: [
        'clusters/new/flux-system/gotk-components.yaml',
        'clusters/new/flux-system/gotk-sync.yaml',
        'clusters/new/flux-system/kustomization.yaml',
      ],
      remove: [`${DIR}/gotk-components.yaml`, `${DIR}/gotk-sync.yaml`, `${DIR}/kustomization.yaml`],
    });
  });

  test("commit messages keep flux's wording", () => {
    const d = {
      version: 'v2.9.3',
      directory: DIR,
      commitMessages: { components: 'Add Flux v2.9.3 component manifests', sync: 'Add Flux sync manifests' },
    } as DesiredState;
    expect(commitMessage({ write: [`${DIR}/gotk-components.yaml`], remove: [] }, d, '')).toBe('Add Flux v2.9.3 component manifests');
    expect(commitMessage({ write: [`${DIR}/gotk-sync.yaml`], remove: [] }, d, '')).toBe('Add Flux sync manifests');
    expect(
      commitMessage(
        { write: [`${DIR}/gotk-components.yaml`, `${DIR}/gotk-sync.yaml`, `${DIR}/kustomization.yaml`], remove: [] },
        d,
        '[skip ci]',
      ),
    ).toBe('Add Flux v2.9.3 component and sync manifests\n\n[skip ci]');
    expect(commitMessage({ write: [`${DIR}/gotk-sync.yaml`], remove: ['clusters/old/flux-system/gotk-sync.yaml'] }, d, '')).toBe(
      `Move Flux v2.9.3 manifests from clusters/old/flux-system to ${DIR}`,
    );
  });
});

describe('SyncManifests diff', () => {
  async function stored(): Promise<{ inputs: Record<string, unknown>; outputs: Record<string, unknown> }> {
    const inputs = (await syncManifests.check({}, SYNC)).inputs as Record<string, unknown>;
    const files = { ...(inputs.desiredFiles as Record<string, string>), [`${DIR}/kustomization.yaml`]: 'k' };
    return { inputs, outputs: { ...inputs, files, commit: 'c', headSha: 'c', directory: DIR } };
  }

  test('no change when the stored blob ids are the desired ones', async () => {
    const { inputs, outputs } = await stored();
    expect(await syncManifests.diff('id', outputs, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  test('drift found by refresh (a deleted file) is a change', async () => {
    const { inputs, outputs } = await stored();
    const files = { ...(outputs.files as Record<string, string>) };
    delete files[`${DIR}/gotk-sync.yaml`];
    expect((await syncManifests.diff('id', { ...outputs, files }, inputs)).changes).toBe(true);
  });

  test('a version bump changes the files; commit options alone change nothing', async () => {
    const { inputs, outputs } = await stored();
    const bumped = (await syncManifests.check(inputs, { ...SYNC, version: 'v2.8.5', distribution: dist('v2.8.5') })).inputs;
    expect((await syncManifests.diff('id', outputs, bumped)).changes).toBe(true);
    const appendix = (await syncManifests.check(inputs, { ...SYNC, commitMessageAppendix: '[ci skip]' })).inputs;
    expect((await syncManifests.diff('id', outputs, appendix)).changes).toBe(false);
  });

  test('a branch replaces, a namespace moves the files; an unknown url at preview is a change', async () => {
    const { inputs, outputs } = await stored();
    const ns = (await syncManifests.check(inputs, { ...SYNC, namespace: 'flux' })).inputs;
    expect(await syncManifests.diff('id', outputs, ns)).toMatchObject({ changes: true, replaces: [] });
    const branch = (await syncManifests.check(inputs, { ...SYNC, branch: 'prod' })).inputs;
    expect((await syncManifests.diff('id', outputs, branch)).replaces).toEqual(['branch']);
    expect((await syncManifests.diff('id', outputs, { ...inputs, url: UNKNOWN, desiredFiles: undefined })).changes).toBe(true);
  });
});

describe('ControllerInstall diff', () => {
  const INSTALL = {
    ...SYNC,
    cluster: { kubeconfig: 'k' },
    credentials: { privateKey: 'p', publicKey: 'q', knownHosts: 'r' },
    commit: 'c1',
  };

  async function stored() {
    const inputs = (await controllerInstall.check({}, INSTALL)).inputs as Record<string, unknown>;
    return { inputs, outputs: { ...inputs, objectsHash: inputs.desiredHash, drift: [] } };
  }

  test('same objects, same commit, same secret: no change', async () => {
    const { inputs, outputs } = await stored();
    expect(await controllerInstall.diff('id', outputs, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
  });

  test('a new commit, a new key or drift is a change', async () => {
    const { inputs, outputs } = await stored();
    expect((await controllerInstall.diff('id', outputs, { ...inputs, commit: 'c2' })).changes).toBe(true);
    expect(
      (await controllerInstall.diff('id', outputs, { ...inputs, credentials: { ...INSTALL.credentials, privateKey: 'p2' } })).changes,
    ).toBe(true);
    expect(
      (await controllerInstall.diff('id', { ...outputs, drift: ['missing GitRepository/flux-system/flux-system'] }, inputs)).changes,
    ).toBe(true);
  });

  test('deleteUnreachable or keepNamespace alone is recorded by update without touching the cluster', async () => {
    const { inputs, outputs } = await stored();
    const news = (await controllerInstall.check(inputs, { ...INSTALL, deleteUnreachable: true })).inputs;
    expect((await controllerInstall.diff('id', outputs, news)).changes).toBe(true);
    // the kubeconfig 'k' is no kubeconfig at all: connecting would fail
    const r = await controllerInstall.update('id', outputs, news);
    expect(r.outs).toMatchObject({ deleteUnreachable: true, objectsHash: outputs.objectsHash, commit: 'c1' });
    // with anything else changed, update needs the cluster
    const bumped = (await controllerInstall.check(inputs, { ...INSTALL, deleteUnreachable: true, commit: 'c2' })).inputs;
    await expect(controllerInstall.update('id', outputs, bumped)).rejects.toThrow(/kubeconfig/);
  });

  test('a new namespace replaces, deleting the old install first (the CRDs are shared)', async () => {
    const { inputs, outputs } = await stored();
    const ns = (await controllerInstall.check(inputs, { ...INSTALL, namespace: 'flux' })).inputs;
    expect(await controllerInstall.diff('id', outputs, ns)).toEqual({ changes: true, replaces: ['namespace'], deleteBeforeReplace: true });
  });
});

describe('DeployKey and Repository diff', () => {
  const KEY = { host: 'git', url: 'ssh://git@h/fleet', title: 't', readOnly: true, algorithm: 'ed25519' };
  const OUT = { ...KEY, privateKey: 'generated', generated: true, knownHosts: 'scanned', knownHostsGiven: false, keyId: '1' };

  test('a generated key is not replaced by its own output', async () => {
    expect(await deployKey.diff('id', OUT, KEY)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  test('rotation replaces, creating the new key before deleting the old', async () => {
    expect(await deployKey.diff('id', OUT, { ...KEY, rotation: '2026-01' })).toEqual({
      changes: true,
      replaces: ['rotation'],
      deleteBeforeReplace: false,
    });
  });

  test('a new title updates in place', async () => {
    expect(await deployKey.diff('id', OUT, { ...KEY, title: 'u' })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  test('another repository replaces the Repository', async () => {
    const r = { host: 'github', owner: 'acme', name: 'a', token: 't', visibility: 'private', create: true, forceDestroy: false };
    expect(await repository.diff('id', r, r)).toMatchObject({ changes: false });
    expect(await repository.diff('id', r, { ...r, name: 'b' })).toMatchObject({ changes: true, replaces: ['name'] });
  });
});

describe('countLineChanges', () => {
  test('counts like a unified diff', () => {
    expect(countLineChanges('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual({ added: 2, removed: 1 });
    expect(countLineChanges('same', 'same')).toEqual({ added: 0, removed: 0 });
    expect(countLineChanges('', 'x\ny')).toEqual({ added: 2, removed: 0 });
  });
});
