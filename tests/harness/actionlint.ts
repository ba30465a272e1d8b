// Service `actionlint`: rhysd/actionlint v1.7.12, the GitHub Actions workflow checker, built from
// the Go module proxy (no replaces in its go.mod), with Debian's shellcheck beside it: actionlint
// runs shellcheck on every `run:` script it finds on PATH, so the scripts are checked too.
import { execFileSync } from 'node:child_process';
import { ensureDebianPackages } from './apt';
import { goBuild } from './go-build';
import type { Service } from './service';

export const ACTIONLINT_VERSION = 'v1.7.12';

export function buildActionlint(): string {
  return goBuild({
    name: 'actionlint',
    version: ACTIONLINT_VERSION,
    module: 'github.com/rhysd/actionlint',
    moduleVersion: ACTIONLINT_VERSION,
    programs: [{ pkg: 'github.com/rhysd/actionlint/cmd/actionlint', out: 'actionlint' }],
    ldflags: `-s -w -X github.com/rhysd/actionlint.version=${ACTIONLINT_VERSION}`,
    optimize: true,
  }).bin.actionlint;
}

export interface ActionlintInfo {
  actionlint: string;
  version: string;
  /** shellcheck, which actionlint is told to use */
  shellcheck: string;
}

function install(): ActionlintInfo {
  ensureDebianPackages([{ pkg: 'shellcheck', file: '/usr/bin/shellcheck' }]);
  const actionlint = buildActionlint();
  const version = execFileSync(actionlint, ['-version'], { encoding: 'utf8' }).split('\n')[0].trim();
  return { actionlint, version, shellcheck: '/usr/bin/shellcheck' };
}

export const actionlintService: Service<ActionlintInfo> = {
  name: 'actionlint',
  start() {
    return Promise.resolve(install());
  },
  build() {
    install();
  },
  async stop() {
    /* nothing runs */
  },
};

if (require.main === module) {
  const t = Date.now();
  console.log(`${JSON.stringify(install())} (${Math.round((Date.now() - t) / 1000)} s)`);
}
