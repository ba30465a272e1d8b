// Downloading a release's manifests.tar.gz, the way `flux install` builds the URL:
// <base>/download/<version>/manifests.tar.gz, or <base>/latest/download/manifests.tar.gz.
import { DistributionError } from '../errors';

export const DEFAULT_RELEASES_URL = 'https://github.com/fluxcd/flux2/releases';

export function releaseArchiveUrl(base: string, version: string): string {
  const root = base.replace(/\/+$/, '');
  return version === 'latest' ? `${root}/latest/download/manifests.tar.gz` : `${root}/download/${version}/manifests.tar.gz`;
}

export interface Downloaded {
  data: Buffer;
  /** Every URL visited, the requested one first; redirects are followed by hand to see them. */
  urls: string[];
}

export async function download(url: string, fetchImpl: typeof fetch = fetch, timeoutMs = 60_000): Promise<Downloaded> {
  const urls = [url];
  const signal = AbortSignal.timeout(timeoutMs);
  for (let hop = 0; hop <= 10; hop++) {
    const current = urls[urls.length - 1];
    let res: Response;
    try {
      res = await fetchImpl(current, { redirect: 'manual', signal });
    } catch (err) {
      throw new DistributionError(`failed to download ${url}: ${(err as Error).message}`, { cause: err });
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      urls.push(new URL(location, current).toString());
      continue;
    }
    if (!res.ok) {
      throw new DistributionError(`failed to download ${current}: HTTP ${res.status} ${res.statusText}`.trimEnd());
    }
    return { data: Buffer.from(await res.arrayBuffer()), urls };
  }
  throw new DistributionError(`failed to download ${url}: too many redirects`);
}

/** The first URL in a redirect chain that names a release: .../download/vX.Y.Z/manifests.tar.gz. */
export function releaseUrlIn(urls: string[]): { url: string; version: string } | undefined {
  for (const url of urls) {
    const version = /\/download\/(v\d+\.\d+\.\d+)\//.exec(url)?.[1];
    if (version) return { url, version };
  }
  return undefined;
}
