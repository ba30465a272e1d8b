// The Flux Terraform provider (terraform-provider-flux v1.8.5, `flux_bootstrap_git`), for the
// benchmark's side-by-side only: built from the source in ../shared/anchors (it is not served
// by the module proxy as it stands there, see that README), with one Flux release's manifests
// as its `manifests/*.yaml` (go:embed). Cached per release under ~/.cache/flux-bootstrap; the
// second release only relinks. Built with the optimizer: its speed is what is measured.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, progress, withCacheLock } from '../harness/cache';
import { distributionDir, projectRoot } from '../harness/flux-reference';

export const TF_PROVIDER_VERSION = '1.8.5';
const SOURCE = `terraform-provider-flux-v${TF_PROVIDER_VERSION}`;
export const TF_PROVIDER_BINARY = `terraform-provider-flux_v${TF_PROVIDER_VERSION}`;

/** The anchor tarball beside the checkout, or undefined in a bare clone. */
export function anchorTarball(): string | undefined {
  const file = path.resolve(projectRoot(), '..', 'shared', 'anchors', `${SOURCE}.tar.gz`);
  return fs.existsSync(file) ? file : undefined;
}

/** The directory holding terraform-provider-flux_v1.8.5 with `fluxVersion`'s manifests embedded. */
export function buildTerraformProvider(tarball: string, fluxVersion: string): string {
  const dir = cacheDir(`terraform-provider-flux-v${TF_PROVIDER_VERSION}-flux`, fluxVersion);
  const done = () => fs.existsSync(path.join(dir, '.complete'));
  if (done()) return dir;
  return withCacheLock(dir, () => {
    if (done()) return dir;
    const started = Date.now();
    progress(`building ${SOURCE} with the Flux ${fluxVersion} manifests (cold: minutes)`);
    const work = `${dir}.work`;
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', work]);
    const src = path.join(work, SOURCE);
    const manifests = path.join(src, 'manifests');
    fs.mkdirSync(manifests, { recursive: true });
    const release = distributionDir(fluxVersion);
    for (const f of fs.readdirSync(release).filter((x) => x.endsWith('.yaml')))
      fs.copyFileSync(path.join(release, f), path.join(manifests, f));
    const out = `${dir}.partial`;
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    execFileSync(
      'go',
      ['build', '-trimpath', '-ldflags', `-s -w -X main.version=${TF_PROVIDER_VERSION}`, '-o', path.join(out, TF_PROVIDER_BINARY), '.'],
      {
        cwd: src,
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 64 << 20,
        env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      },
    );
    fs.writeFileSync(path.join(out, '.complete'), `${new Date().toISOString()}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(out, dir);
    fs.rmSync(work, { recursive: true, force: true });
    progress(`${SOURCE} (Flux ${fluxVersion}) ready in ${Math.round((Date.now() - started) / 1000)} s`);
    return dir;
  });
}
