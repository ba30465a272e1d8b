// Debian packages the harness needs (openssh-server, libnss-wrapper, ...). A fresh machine or
// CI (root) gets them installed on first use; a machine that has them pays one stat().
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { progress } from './cache';

export interface DebianNeed {
  /** Debian package name */
  pkg: string;
  /** a file the package installs; present means installed */
  file: string;
}

function aptGet(args: string[]): number {
  const r = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    // apt's own output is the progress: send it to stderr, which jest and the CLI show live
    stdio: ['ignore', process.stderr, process.stderr],
  });
  return r.status ?? 1;
}

function haveLists(): boolean {
  try {
    return fs.readdirSync('/var/lib/apt/lists').some((f) => f.endsWith('_Packages') || f.endsWith('_Packages.lz4'));
  } catch {
    return false;
  }
}

/** Installs the missing packages with apt-get (root needed), running `apt-get update` first
 *  when the package lists are absent and once more if the install fails. */
export function ensureDebianPackages(needs: DebianNeed[]): void {
  const missing = needs.filter((n) => !fs.existsSync(n.file)).map((n) => n.pkg);
  if (missing.length === 0) return;
  const started = Date.now();
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the harness needs the Debian packages ${missing.join(', ')}; install them as root: apt-get install -y ${missing.join(' ')}`,
    );
  }
  progress(`installing Debian packages: ${missing.join(', ')}`);
  if (!haveLists()) aptGet(['update']);
  const install = ['install', '-y', '--no-install-recommends', ...missing];
  if (aptGet(install) !== 0) {
    progress('apt-get install failed; running apt-get update and trying again');
    aptGet(['update']);
    if (aptGet(install) !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed (see output above)`);
  }
  const still = needs.filter((n) => !fs.existsSync(n.file));
  if (still.length) throw new Error(`after apt-get install, still missing: ${still.map((n) => n.file).join(', ')}`);
  progress(`installed ${missing.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`);
}
