// How the harness builds a real Gitea from the Go module proxy (cached, minutes when cold).
// v1.26.0 is the newest release still published as code.gitea.io/gitea: later ones (v1.27.x)
// declare `module gitea.dev`, which the proxy does not serve here.
// `node dist/tests/harness/gitea-build.js` builds it ahead of a test run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goBuild, type GoBuildResult } from './go-build';

export const GITEA_VERSION = 'v1.26.0';

export interface GiteaBuild {
  bin: string;
  /** STATIC_ROOT_PATH: options/ and templates/ copied from the module (no bindata build) */
  staticRoot: string;
}

export function buildGitea(): GiteaBuild {
  const r: GoBuildResult = goBuild({
    name: 'gitea',
    version: GITEA_VERSION,
    module: 'code.gitea.io/gitea',
    moduleVersion: GITEA_VERSION,
    programs: [{ pkg: 'code.gitea.io/gitea', out: 'gitea' }],
    // its replaces, excludes and godebug lines are copied by goBuild (copyDirectives default)
    tags: 'sqlite sqlite_unlock_notify',
    cgo: true, // mattn/go-sqlite3
    ldflags: `-s -w -X main.Version=${GITEA_VERSION.slice(1)} -X main.Tags=sqlite,sqlite_unlock_notify`,
    afterBuild: ({ moduleDir, outDir }) => {
      // Without the bindata tag Gitea reads these from disk; keep our own copy so the cache
      // survives `go clean -modcache`.
      for (const d of ['options', 'templates']) {
        fs.cpSync(path.join(moduleDir, d), path.join(outDir, 'static', d), { recursive: true });
      }
      // the module cache is read-only; a later rebuild must be able to remove this copy
      execFileSync('chmod', ['-R', 'u+w', path.join(outDir, 'static')]);
    },
  });
  return { bin: r.bin.gitea, staticRoot: path.join(r.dir, 'static') };
}

if (require.main === module) {
  const t = Date.now();
  const b = buildGitea();
  console.log(`${b.bin} (${Math.round((Date.now() - t) / 1000)} s)`);
}
