// SHA256SUMS in the format `sha256sum -c` reads: every file of the release, the Go module's files
// one by one (a directory has no digest of its own), sorted by path.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

function filesUnder(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, p) : [p];
  });
}

export function writeChecksums(dir: string): string {
  const lines = filesUnder(dir)
    .filter((f) => f !== 'SHA256SUMS' && f !== 'release.json')
    .sort()
    .map(
      (f) =>
        `${createHash('sha256')
          .update(fs.readFileSync(path.join(dir, f)))
          .digest('hex')}  ${f}`,
    );
  const file = path.join(dir, 'SHA256SUMS');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
