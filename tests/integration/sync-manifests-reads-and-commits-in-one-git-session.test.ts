// harness: git-ssh
// SyncManifests looks at the branch and commits in one git session: the commit's own fetch of
// the tip (trees only) is the observation the change is planned on. So a create, a version bump
// and a move each cost one fetch and one push on the server, on a branch a colleague writes to
// as well, whose files stay as they are. A writer that takes our files between the look and the
// push is refused, and nothing is pushed over it.
import { clearObservations, commitFiles, type GitAuth } from '../../provider/git';
import * as syncManifests from '../../provider/resources/sync-manifests';
import { accessLog, type GitSshInfo } from '../harness/git-ssh';
import { distributionDir } from '../harness/flux-reference';
import { harnessInfo } from '../harness/state';
import { fileAt, filesAt } from './git/bare-repo';
import { PATCHED_KUSTOMIZATION, writableRepo, type WritableRepo } from './git/writable-repo';

const THEIRS = 'apps/team.yaml';

/** A fresh repository and SyncManifests' checked inputs for it; the key is revoked and the
 *  process's shared observations forgotten after `fn`, however it ends. */
async function withRepo(
  prefix: string,
  fn: (repo: WritableRepo, inputs: (version: string, path: string) => Promise<Record<string, unknown>>) => Promise<void>,
): Promise<void> {
  const repo = writableRepo(harnessInfo<GitSshInfo>('git-ssh'), prefix);
  const inputs = async (version: string, path: string) =>
    (await syncManifests.check({}, { version, distribution: distributionDir(version), url: repo.url, path, auth: repo.auth }))
      .inputs as Record<string, unknown>;
  clearObservations();
  try {
    await fn(repo, inputs);
  } finally {
    repo.revoke();
    clearObservations();
  }
}

test(
  "a create, a bump and a move each make one fetch and one push, and keep a colleague's file",
  () =>
    withRepo('sync-one-session', async ({ name, dir, url, auth }, inputs) => {
      const info = harnessInfo<GitSshInfo>('git-ssh');
      const gitAuth: GitAuth = { kind: 'ssh', ...auth };
      const verbs = async (fn: () => Promise<unknown>) => {
        clearObservations();
        const before = accessLog(info, name).length;
        await fn();
        return accessLog(info, name)
          .slice(before)
          .map((s) => s.verb);
      };
      await commitFiles(url, gitAuth, {
        branch: 'main',
        files: { [THEIRS]: 'team: 1\n' },
        message: 'team',
        author: { name: 'colleague', email: 'c@example.test' },
      });
      let created!: Awaited<ReturnType<typeof syncManifests.create>>;
      expect(
        await verbs(async () => {
          created = await syncManifests.create(await inputs('v2.8.5', 'clusters/a'));
        }),
      ).toEqual(['upload-pack', 'receive-pack']);
      expect(fileAt(dir, 'main', 'clusters/a/flux-system/gotk-sync.yaml')).toContain('path: ./clusters/a');

      // the colleague pushes again: the bump is planned on their new tip, not on ours
      await commitFiles(url, gitAuth, {
        branch: 'main',
        files: { [THEIRS]: 'team: 2\n' },
        message: 'team 2',
        author: { name: 'colleague', email: 'c@example.test' },
      });
      let bumped!: Awaited<ReturnType<typeof syncManifests.update>>;
      expect(
        await verbs(async () => {
          bumped = await syncManifests.update(created.id, created.outs, await inputs('v2.9.3', 'clusters/a'));
        }),
      ).toEqual(['upload-pack', 'receive-pack']);
      expect(fileAt(dir, 'main', 'clusters/a/flux-system/gotk-components.yaml')).toContain('v2.9.3');

      expect(await verbs(() => inputs('v2.9.3', 'clusters/b'))).toEqual([]); // a check reads nothing remote
      expect(await verbs(async () => syncManifests.update(created.id, bumped.outs, await inputs('v2.9.3', 'clusters/b')))).toEqual([
        'upload-pack',
        'receive-pack',
      ]);
      expect(fileAt(dir, 'main', 'clusters/b/flux-system/gotk-sync.yaml')).toContain('path: ./clusters/b');
      expect(filesAt(dir, 'main').filter((f) => f.startsWith('clusters/a/'))).toEqual([]);
      expect(fileAt(dir, 'main', THEIRS)).toBe('team: 2');
    }),
  180_000,
);

test(
  'two creates of one path at once: one lands, the other is refused naming the path, and one push is made',
  () =>
    withRepo('sync-one-session-race', async ({ name }, inputs) => {
      // two stacks create the same path at once, with other releases (the same files would be no
      // conflict): one commit lands, the other is refused, naming the path
      const results = await Promise.allSettled([
        syncManifests.create(await inputs('v2.8.5', 'clusters/x')),
        syncManifests.create(await inputs('v2.9.3', 'clusters/x')),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(String(lost[0].reason?.message)).toMatch(/clusters\/x\/flux-system/);
      expect(accessLog(harnessInfo<GitSshInfo>('git-ssh'), name).filter((s) => s.verb === 'receive-pack')).toHaveLength(1);
    }),
  180_000,
);

test(
  "a move carries the user's own kustomization.yaml, patched after the last look, to the new path",
  () =>
    withRepo('sync-one-session-move', async ({ name, dir, url, auth }, inputs) => {
      const created = await syncManifests.create(await inputs('v2.9.3', 'clusters/p'));
      // the user patches it; the stack has not refreshed, so its state still holds the generated file's id
      await commitFiles(
        url,
        { kind: 'ssh', ...auth },
        {
          branch: 'main',
          files: { 'clusters/p/flux-system/kustomization.yaml': PATCHED_KUSTOMIZATION },
          message: 'Patch Flux',
          author: { name: 'u', email: 'u@example.test' },
        },
      );
      clearObservations();
      const info = harnessInfo<GitSshInfo>('git-ssh');
      const before = accessLog(info, name).length;
      await syncManifests.update(created.id, created.outs, await inputs('v2.9.3', 'clusters/q'));
      const verbs = accessLog(info, name)
        .slice(before)
        .map((s) => s.verb)
        .sort();
      expect(verbs).toEqual(['receive-pack', 'upload-pack', 'upload-pack', 'upload-pack']); // the commit's fetch, the patched blob's read (tip, blob), the push
      expect(fileAt(dir, 'main', 'clusters/q/flux-system/kustomization.yaml')).toBe(PATCHED_KUSTOMIZATION.trimEnd());
      expect(filesAt(dir, 'main').filter((f) => f.startsWith('clusters/p/'))).toEqual([]);
    }),
  180_000,
);
