// harness: git-ssh
// A new namespace is one move commit, like a new path: SyncManifests driven the way the Pulumi
// engine drives it (a replacement is create-then-delete, two commits; an update is one), against
// the harness sshd.
import { randomBytes } from 'node:crypto';
import * as syncManifests from '../../provider/resources/sync-manifests';
import { generateDeployKey } from '../../provider/keys';
import { distributionDir } from '../harness/flux-reference';
import { createBareRepo, grantKey, revokeKey, urlFor, type GitSshInfo } from '../harness/git-ssh';
import { harnessInfo } from '../harness/state';
import { allowFilter, commitCount, filesAt, serverGit } from './git/bare-repo';

test('a namespace change moves the three files to <path>/<new namespace> in one commit', async () => {
  const info = harnessInfo<GitSshInfo>('git-ssh');
  const name = `ns-move-${randomBytes(4).toString('hex')}/fleet`;
  const dir = createBareRepo(info, name);
  allowFilter(dir);
  const key = generateDeployKey();
  grantKey(info, key.publicKey, name, 'rw');
  const base = {
    version: 'v2.9.3',
    distribution: distributionDir('v2.9.3'),
    url: urlFor(info, name),
    path: 'clusters/prod',
    auth: { privateKey: key.privateKeyPem, knownHosts: info.knownHosts },
  };
  try {
    const olds = (await syncManifests.check({}, { ...base, namespace: 'flux-system' })).inputs;
    const created = await syncManifests.create(olds);
    expect(commitCount(dir)).toBe(1);

    const news = (await syncManifests.check(created.outs, { ...base, namespace: 'flux' })).inputs;
    const d = await syncManifests.diff(created.id, created.outs, news);
    expect(d.changes).toBe(true);
    // what the engine then does
    if ((d.replaces ?? []).length > 0) {
      await syncManifests.create(news);
      await syncManifests.delete(created.id, created.outs);
    } else {
      await syncManifests.update(created.id, created.outs, news);
    }
    expect(commitCount(dir)).toBe(2);
    expect(serverGit(dir, ['log', '-1', '--format=%s', 'main'])).toBe(
      'Move Flux v2.9.3 manifests from clusters/prod/flux-system to clusters/prod/flux',
    );
    expect(filesAt(dir, 'main')).toEqual(
      ['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'].map((f) => `clusters/prod/flux/${f}`),
    );
  } finally {
    revokeKey(info, key.publicKey);
  }
});
