// Release manifests from a local directory (an unpacked manifests.tar.gz).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeDistribution, type Distribution } from './types';

export async function loadFromDirectory(dir: string, version: string): Promise<Distribution> {
  const files: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.yaml')) {
      files[entry.name] = await fs.readFile(path.join(dir, entry.name), 'utf8');
    }
  }
  return makeDistribution(version, files, dir);
}
