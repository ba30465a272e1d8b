// Private scratch directories (0700) for one git operation: key files, known_hosts, the
// temporary GIT_DIR. Removed as soon as the operation ends, and at process exit for any an
// interrupted operation left behind, so decrypted key material never outlives its use.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const live = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const d of live) {
    try {
      fs.rmSync(d, { recursive: true, force: true });
    } catch {
      /* best effort at exit */
    }
  }
  live.clear();
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  if (!hooked) {
    hooked = true;
    process.once('exit', removeAll);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-git-'));
  fs.chmodSync(dir, 0o700);
  live.add(dir);
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    live.delete(dir);
  }
}

/** Writes a file only its owner can read (mode set at creation, not after). */
export function writePrivate(file: string, content: string | Buffer): void {
  fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
}
