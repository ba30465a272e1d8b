// Content-addressed cache of release tarballs: sha256/<hex>.tar.gz plus index.json mapping a
// version to its digest and the URL it came from. Writes go through a temp file and a rename,
// so concurrent runs never see half a file; a blob whose hash no longer matches is dropped.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Digest } from './tarball';

export interface CacheEntry {
  digest: string;
  url: string;
}

type Index = { versions: Record<string, CacheEntry> };

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'flux-bootstrap', 'manifests');
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

export class ManifestCache {
  constructor(readonly dir: string = defaultCacheDir()) {}

  private blobPath(digest: string): string {
    return path.join(this.dir, 'sha256', `${digest.replace(/^sha256:/, '')}.tar.gz`);
  }

  private async readIndex(): Promise<Index> {
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(path.join(this.dir, 'index.json'), 'utf8'));
      return parsed && typeof parsed === 'object' && 'versions' in parsed && typeof parsed.versions === 'object'
        ? (parsed as Index)
        : { versions: {} };
    } catch {
      return { versions: {} };
    }
  }

  async lookup(version: string): Promise<CacheEntry | undefined> {
    return (await this.readIndex()).versions[version];
  }

  /** The cached archive with this digest, or undefined when absent or corrupted. */
  async read(digest: string): Promise<Buffer | undefined> {
    const file = this.blobPath(digest);
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch {
      return undefined;
    }
    if (sha256Digest(data) === digest) return data;
    await fs.rm(file, { force: true });
    return undefined;
  }

  async store(version: string, url: string, archive: Uint8Array): Promise<string> {
    const digest = sha256Digest(archive);
    await writeAtomic(this.blobPath(digest), archive);
    const index = await this.readIndex();
    index.versions[version] = { digest, url };
    await writeAtomic(path.join(this.dir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
    return digest;
  }
}
