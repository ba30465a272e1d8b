// The release's source archive: every file git tracks, as the working tree has it, under
// `flux-bootstrap-<version>/`: what the release tag holds, the way a forge serves it as "Source
// code". `pulumi package add` runs the provider from such a tree (PulumiPlugin.yaml).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function sourceArchive(root: string, outDir: string, version: string): Promise<string> {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && fs.existsSync(path.join(root, f)))
    .sort();
  const name = `flux-bootstrap-${version}.src.tar.gz`;
  const tar = require('tar') as typeof import('tar');
  await tar.c(
    { gzip: true, file: path.join(outDir, name), cwd: root, portable: true, mtime: new Date(0), prefix: `flux-bootstrap-${version}` },
    files,
  );
  return name;
}
