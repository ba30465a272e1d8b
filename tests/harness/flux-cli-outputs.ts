// What the real flux CLI prints for `install --export`, `create source git --export` and
// `create kustomization --export`, cached per release and arguments under
// ~/.cache/flux-bootstrap/flux-cli-outputs/<release>/, so a warm differential run reads files
// instead of starting a hundred CLI processes. The CLI is deterministic for these commands
// (embedded manifests, no cluster, no network), so the arguments are the whole key.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheRoot } from './cache';

function outputFile(release: string, args: string[]): string {
  const key = crypto.createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 24);
  return path.join(cacheRoot(), 'flux-cli-outputs', release, `${key}.out`);
}

/** A flux command that needs no cluster: it must not find one either (an empty kubeconfig). */
function runFlux(bin: string, args: string[]): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-cli-home-'));
  try {
    return execFileSync(bin, args, {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: path.join(home, 'none') },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`flux ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim().slice(-2000)}`);
  }
}

/** The CLI's stdout for `args`, from the cache or by running `bin` (then cached). */
export function fluxOutput(bin: string, release: string, args: string[]): { text: string; cached: boolean } {
  const file = outputFile(release, args);
  if (fs.existsSync(file)) return { text: fs.readFileSync(file, 'utf8'), cached: true };
  const text = runFlux(bin, args);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, file);
  return { text, cached: false };
}

/** The cached stdout for `args`, or null (never runs the CLI). */
export function cachedFluxOutput(release: string, args: string[]): string | null {
  const file = outputFile(release, args);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}
