// loadDistribution: the release manifests of a version from a directory, a manifests.tar.gz
// file, or a release URL (downloaded once, then served from the content-addressed cache).
import { promises as fs } from 'node:fs';
import { DistributionError, InputError, InputErrors } from '../errors';
import { ManifestCache } from './cache';
import { DEFAULT_RELEASES_URL, download, releaseArchiveUrl, releaseUrlIn } from './download';
import { loadFromDirectory } from './directory';
import { loadFromTarball } from './tarball';
import type { Distribution } from './types';

export interface LoadDistributionOptions {
  /** "vX.Y.Z", or "latest" when `source` is a release URL. */
  version: string;
  /**
   * A directory, a manifests.tar.gz file, a release base URL (default
   * https://github.com/fluxcd/flux2/releases) or the URL of a .tar.gz.
   */
  source?: string;
  /** Cache directory; defaults to ~/.cache/flux-bootstrap/manifests. */
  cacheDir?: string;
  /** Expected "sha256:<hex>" of the archive; a download with another digest is refused. */
  digest?: string;
  fetch?: typeof fetch;
}

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

function latestNeedsUrl(source: string): InputError {
  return new InputError({
    field: 'version',
    value: 'latest',
    reason: `can only be resolved when downloading from a release URL, not from ${source}`,
    remedy: 'pin the version these manifests belong to, e.g. "v2.9.3"',
  });
}

async function loadFromUrl(url: string, opts: LoadDistributionOptions): Promise<Distribution> {
  const archiveUrl = /\.tar\.gz$/i.test(url) ? url : releaseArchiveUrl(url, opts.version);
  const cache = new ManifestCache(opts.cacheDir);
  if (opts.version !== 'latest') {
    const hit = opts.digest ? { digest: opts.digest, url: archiveUrl } : await cache.lookup(opts.version);
    if (hit && hit.url === archiveUrl) {
      const data = await cache.read(hit.digest);
      if (data) return loadFromTarball(data, opts.version, archiveUrl);
    }
  }
  const { data, urls } = await download(archiveUrl, opts.fetch);
  let version = opts.version;
  let cacheUrl = archiveUrl;
  if (version === 'latest') {
    const named = releaseUrlIn(urls);
    if (!named)
      throw new DistributionError(`cannot tell which release "latest" is: ${archiveUrl} did not redirect to a .../download/vX.Y.Z/ URL`);
    version = named.version;
    cacheUrl = named.url;
  }
  const dist = await loadFromTarball(data, version, cacheUrl);
  if (opts.digest && dist.digest !== opts.digest) {
    throw new DistributionError(`${archiveUrl} has digest ${dist.digest}, expected ${opts.digest}`);
  }
  await cache.store(version, cacheUrl, data);
  return dist;
}

export async function loadDistribution(opts: LoadDistributionOptions): Promise<Distribution> {
  const source = opts.source ?? DEFAULT_RELEASES_URL;
  if (isUrl(source)) return loadFromUrl(source, opts);
  if (opts.version === 'latest') throw new InputErrors([latestNeedsUrl(source)]);
  let stat;
  try {
    stat = await fs.stat(source);
  } catch {
    throw new DistributionError(
      `distribution ${JSON.stringify(source)} is neither an existing directory, a .tar.gz file nor an http(s) URL`,
    );
  }
  if (stat.isDirectory()) return loadFromDirectory(source, opts.version);
  return loadFromTarball(await fs.readFile(source), opts.version, source);
}

export { availableComponents, makeDistribution, type Distribution } from './types';
export { ManifestCache, defaultCacheDir } from './cache';
export { DEFAULT_RELEASES_URL, releaseArchiveUrl } from './download';
export { sha256Digest } from './tarball';
