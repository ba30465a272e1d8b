// harness: git-ssh
// SyncManifests does not own a kustomization.yaml the user wrote, but hands its content on
// (committedKustomization) so ControllerInstall applies its patches: read from the tree the
// resource fetches anyway, its blob only when its id changed; '' while the file is the
// generated one. Against the harness sshd, through the resource's own create/update/read.
import { blobId, clearObservations, commitFiles, type GitAuth } from '../../provider/git';
import * as syncManifests from '../../provider/resources/sync-manifests';
import { accessLog, type GitSshInfo } from '../harness/git-ssh';
import { distributionDir } from '../harness/flux-reference';
import { harnessInfo } from '../harness/state';
import { fileAt } from './git/bare-repo';
import { PATCHED_KUSTOMIZATION, writableRepo } from './git/writable-repo';

const USER = PATCHED_KUSTOMIZATION;

test('the generated file hands on nothing; a file the user committed is handed on, kept through a version bump, and re-read only when it changes', async () => {
  const info = harnessInfo<GitSshInfo>('git-ssh');
  const { name, dir, url, auth, revoke } = writableRepo(info, 'sync-kust');
  const inputs = async (version: string) =>
    (await syncManifests.check({}, { version, distribution: distributionDir(version), url, path: 'clusters/a', auth })).inputs;
  clearObservations();
  try {
    const created = await syncManifests.create(await inputs('v2.8.5'));
    expect(created.outs.committedKustomization).toBe('');

    const gitAuth: GitAuth = { kind: 'ssh', ...auth };
    await commitFiles(url, gitAuth, {
      branch: 'main',
      files: { 'clusters/a/flux-system/kustomization.yaml': USER },
      message: 'Patch Flux',
      author: { name: 'u', email: 'u@example.test' },
    });
    clearObservations();
    const refreshed = await syncManifests.read(created.id, created.outs);
    expect(refreshed.props?.committedKustomization).toBe(USER);

    const bumped = await syncManifests.update(created.id, refreshed.props, await inputs('v2.9.3'));
    expect(bumped.outs?.committedKustomization).toBe(USER);
    expect(fileAt(dir, 'main', 'clusters/a/flux-system/kustomization.yaml')).toBe(USER.trimEnd()); // fileAt trims
    expect(bumped.outs?.files['clusters/a/flux-system/kustomization.yaml']).toBe(blobId(USER));

    // the head moves for another reason: the known content is reused, no blob is fetched
    await commitFiles(url, gitAuth, {
      branch: 'main',
      files: { 'apps/x.yaml': 'x: 1\n' },
      message: 'app',
      author: { name: 'u', email: 'u@example.test' },
    });
    clearObservations();
    const before = accessLog(info, name).length;
    const again = await syncManifests.read(created.id, bumped.outs);
    expect(again.props?.committedKustomization).toBe(USER);
    expect(
      accessLog(info, name)
        .slice(before)
        .map((s) => s.verb),
    ).toEqual(['upload-pack', 'upload-pack']); // ls-remote, tree
  } finally {
    revoke();
    clearObservations();
  }
}, 180_000);
