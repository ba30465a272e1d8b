// Where the harness keeps what it builds: outside the repository, keyed by name and
// version, so a warm cache costs seconds and a clean checkout reuses earlier builds.
import * as os from 'node:os';
import * as path from 'node:path';

export function cacheRoot(): string {
  return process.env.FLUX_BOOTSTRAP_CACHE ?? path.join(os.homedir(), '.cache', 'flux-bootstrap');
}

/** `~/.cache/flux-bootstrap/<name>-<version>` */
export function cacheDir(name: string, version: string): string {
  return path.join(cacheRoot(), `${name}-${version}`);
}

/** Progress lines go to stderr so jest and the demo show them as they happen. */
export function progress(message: string): void {
  process.stderr.write(`[harness] ${message}\n`);
}
