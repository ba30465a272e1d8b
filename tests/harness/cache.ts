// Where the harness keeps what it builds: outside the repository, keyed by name and
// version, so a warm cache costs seconds and a clean checkout reuses earlier builds.
import * as fs from 'node:fs';
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

function lockOwnerAlive(lock: string): boolean {
  try {
    const [host, pid] = fs.readFileSync(path.join(lock, 'owner'), 'utf8').trim().split(' ');
    if (host !== os.hostname()) return true; // another machine's: only age tells
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    // no owner file yet (being created) counts as alive; a dead pid (ESRCH) does not
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Runs fn holding `<dir>.lock`, so two test runs (a CI job and a developer's run, two jest
 * processes) never build or install into the same cache entry at once: the second waits and
 * then finds the entry complete. A lock whose owner process is dead, or older than 2 hours,
 * is taken over. Synchronous on purpose: builds block anyway.
 */
export function withCacheLock<T>(dir: string, fn: () => T): T {
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 90 * 60 * 1000;
  let said = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'owner'), `${os.hostname()} ${process.pid}\n`);
      break;
    } catch {
      try {
        const stale = !lockOwnerAlive(lock) || Date.now() - fs.statSync(lock).mtimeMs > 2 * 3600 * 1000;
        if (stale) {
          fs.rmSync(lock, { recursive: true, force: true });
          continue;
        }
      } catch {
        /* raced with its owner's release */
      }
      if (!said) {
        progress(`waiting for ${lock} (another run is building or installing it)`);
        said = true;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
