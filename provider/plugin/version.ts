// The package version: the plugin reports it, and the schema carries it. A release bundle of the
// plugin (scripts/release) has no package.json beside it: the bundler writes the version into
// `__FLUX_BOOTSTRAP_VERSION__` instead.
import * as fs from 'node:fs';
import * as path from 'node:path';

declare const __FLUX_BOOTSTRAP_VERSION__: string | undefined;

export function packageVersion(): string {
  if (typeof __FLUX_BOOTSTRAP_VERSION__ === 'string') return __FLUX_BOOTSTRAP_VERSION__;
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
