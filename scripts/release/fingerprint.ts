// What a release is made from, as one hash: the compiled package, its manifest, lockfile and
// docs, the plugin's schema and launcher, and the SDK generator. The install tests' harness
// service rebuilds dist/release only when this changes (release.json records it).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const INPUTS = [
  'package.json',
  'package-lock.json',
  'LICENSE',
  'README.md',
  'PulumiPlugin.yaml',
  'provider/plugin/bin',
  'provider/plugin/schema.json',
  'schema',
  'dist/provider',
  'dist/schema',
  'dist/scripts/release',
  'tests/harness/sdk-gen',
];

function filesOf(root: string, rel: string): string[] {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return [];
  if (!fs.statSync(abs).isDirectory()) return [rel];
  return fs
    .readdirSync(abs)
    .sort()
    .flatMap((e) => filesOf(root, `${rel}/${e}`));
}

export function releaseFingerprint(root: string): string {
  const hash = createHash('sha256');
  for (const rel of INPUTS.flatMap((i) => filesOf(root, i)))
    hash
      .update(rel)
      .update('\0')
      .update(fs.readFileSync(path.join(root, rel)))
      .update('\0');
  return hash.digest('hex');
}
