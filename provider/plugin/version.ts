// The package version: the plugin reports it, and the schema carries it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function packageVersion(): string {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'flux-bootstrap') return pkg.version;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`flux-bootstrap: no package.json above ${__dirname}`);
    dir = up;
  }
}
