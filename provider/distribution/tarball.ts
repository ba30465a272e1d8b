// Release manifests from a manifests.tar.gz, read in memory with the `tar` package.
// Flux's release job archives the files at the root (`tar -czf manifests.tar.gz *.yaml`);
// archives with one top-level directory (e.g. `manifests/`) are accepted too.
import { createHash } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import { DistributionError } from '../errors';
import { makeDistribution, type Distribution } from './types';

export function sha256Digest(data: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** File path -> content of every regular .yaml file in a (gzipped) tar archive. */
export function readTarYamlFiles(archive: Buffer, source: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const found: Record<string, string> = {};
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const name = entry.path.replace(/^\.\//, '');
        if (entry.type !== 'File' || !name.endsWith('.yaml') || name.split('/').includes('..')) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          found[name] = Buffer.concat(chunks).toString('utf8');
        });
      },
    });
    parser.on('error', (err: Error) =>
      reject(new DistributionError(`cannot read ${source} as a .tar.gz archive: ${err.message}`, { cause: err })),
    );
    parser.on('end', () => resolve(found));
    parser.end(archive);
  });
}

/** Strips a single shared top-level directory, so `manifests/rbac.yaml` reads as `rbac.yaml`. */
function flatten(found: Record<string, string>, source: string): Record<string, string> {
  const names = Object.keys(found);
  if (names.every((n) => !n.includes('/'))) return found;
  const tops = new Set(names.map((n) => n.split('/')[0]));
  const single = [...tops][0];
  if (tops.size !== 1 || names.some((n) => n.split('/').length !== 2)) {
    throw new DistributionError(
      `${source} has an unexpected layout: expected the .yaml files at the root or in one directory, found ${names.slice(0, 5).join(', ')}`,
    );
  }
  return Object.fromEntries(names.map((n) => [n.slice(single.length + 1), found[n]]));
}

export async function loadFromTarball(archive: Buffer, version: string, source: string): Promise<Distribution> {
  const files = flatten(await readTarYamlFiles(archive, source), source);
  return makeDistribution(version, files, source, sha256Digest(archive));
}
