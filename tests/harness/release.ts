// Service `release`: the release artifacts in dist/release, as `npm run release` makes them, for
// the install tests (tests/install), which use nothing of the checkout but these files. Made
// again only when what they are made from changed (release.json's fingerprint), under a lock, so
// install files that start together build it once.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { releaseFingerprint } from '../../scripts/release/fingerprint';
import type { ReleaseManifest } from '../../scripts/release/main';
import { progress, withCacheLock } from './cache';
import { projectRoot } from './flux-reference';
import type { Service } from './service';

export interface ReleaseInfo {
  /** dist/release of the checkout */
  dir: string;
  manifest: ReleaseManifest;
}

function current(dir: string, fingerprint: string): ReleaseManifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'release.json'), 'utf8')) as ReleaseManifest;
    return m.fingerprint === fingerprint ? m : null;
  } catch {
    return null;
  }
}

/** dist/release, made first when missing or made from other inputs. */
export function ensureRelease(): ReleaseInfo {
  const root = projectRoot();
  const dir = path.join(root, 'dist', 'release');
  const fingerprint = releaseFingerprint(root);
  const made = current(dir, fingerprint);
  if (made) return { dir, manifest: made };
  return withCacheLock(dir, () => {
    const again = current(dir, releaseFingerprint(root));
    if (again) return { dir, manifest: again };
    const t = Date.now();
    progress('making the release (npm run release) for the install tests');
    execFileSync(process.execPath, [path.join(root, 'dist', 'scripts', 'release', 'main.js')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    progress(`release made in ${Math.round((Date.now() - t) / 1000)} s`);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'release.json'), 'utf8')) as ReleaseManifest;
    // a build that ran meanwhile (another terminal's tsc) changes the fingerprint, not this release
    if (manifest.fingerprint !== releaseFingerprint(root))
      progress('the checkout changed while the release was made: the next run makes it again');
    return { dir, manifest };
  });
}

export const releaseService: Service<ReleaseInfo> = {
  name: 'release',
  build() {
    ensureRelease();
  },
  start(): Promise<ReleaseInfo> {
    return Promise.resolve(ensureRelease());
  },
  stop(): Promise<void> {
    return Promise.resolve(); // files only
  },
};
