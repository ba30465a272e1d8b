// Flux release manifests where only package registries are reachable: the Go module
// github.com/controlplaneio-fluxcd/flux-operator carries `config/data/flux/<version>/`, the
// per-controller files of each release's manifests.tar.gz (v2.2.3 to v2.9.5 in v0.59.0).
// `go mod download` fetches its zip without building anything. It reports an error (the module
// asks for a newer Go than the machine's) but extracts the files anyway, so the module directory
// is read from the module cache itself. One release's files are copied to
// ~/.cache/flux-bootstrap/flux-manifests-<version>/, so later runs need neither Go nor network.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, cacheRoot, progress, withCacheLock } from './cache';

export const FLUX_OPERATOR_MODULE = 'github.com/controlplaneio-fluxcd/flux-operator';
export const FLUX_OPERATOR_VERSION = 'v0.59.0';

/** A module path as the module cache spells it: capitals become '!' + lower case. */
function escapedModulePath(mod: string): string {
  return mod.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

function goOutput(args: string[], cwd: string): { stdout: string; stderr: string } {
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };
  try {
    return { stdout: execFileSync('go', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: string; message: string };
    if (err.code === 'ENOENT')
      throw new Error(
        `the Flux release manifests come from the Go module proxy, and "go" is not on PATH: install Go (1.24 or later), or set FLUX_BOOTSTRAP_FLUX_REFERENCE to a directory with distributions/<version>/`,
      );
    // `go mod download -json` exits 1 with the files extracted; the caller checks for them
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? err.message };
  }
}

/** The extracted flux-operator module (downloaded once into the Go module cache). */
export function operatorModuleDir(): string {
  const work = cacheRoot();
  fs.mkdirSync(work, { recursive: true });
  const ref = `${FLUX_OPERATOR_MODULE}@${FLUX_OPERATOR_VERSION}`;
  const { stdout, stderr } = goOutput(['mod', 'download', '-json', ref], work);
  let reported: { Dir?: string; Error?: string } = {};
  try {
    reported = JSON.parse(stdout) as typeof reported;
  } catch {
    /* no JSON: go failed early */
  }
  const modCache = goOutput(['env', 'GOMODCACHE'], work).stdout.trim();
  const dir = reported.Dir ?? path.join(modCache, `${escapedModulePath(FLUX_OPERATOR_MODULE)}@${FLUX_OPERATOR_VERSION}`);
  if (!fs.existsSync(path.join(dir, 'config', 'data', 'flux'))) {
    throw new Error(`go mod download ${ref} did not extract config/data/flux: ${reported.Error ?? stderr.trim().slice(-500)}`);
  }
  return dir;
}

/** Complete once it exists: it is renamed into place whole, and holds the release files only
 *  (a directory of manifests is loaded as it is). */
function complete(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'source-controller.yaml'));
}

/**
 * The release manifests of a Flux version (`source-controller.yaml`, ..., `rbac.yaml`,
 * `policies.yaml`), from the cache or else from the flux-operator module. Synchronous, like
 * the harness's builds, so it serves global setup, tests and CLIs alike.
 */
export function fluxOperatorManifests(version: string): string {
  const dir = cacheDir('flux-manifests', version);
  if (complete(dir)) return dir;
  return withCacheLock(dir, () => {
    if (complete(dir)) return dir;
    const source = path.join(operatorModuleDir(), 'config', 'data', 'flux', version);
    if (!fs.existsSync(source)) {
      const known = fs
        .readdirSync(path.dirname(source))
        .filter((v) => /^v\d/.test(v))
        .join(', ');
      throw new Error(`${FLUX_OPERATOR_MODULE}@${FLUX_OPERATOR_VERSION} has no manifests for Flux ${version}; it has ${known}`);
    }
    const partial = `${dir}.partial`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.mkdirSync(partial, { recursive: true });
    for (const f of fs.readdirSync(source).filter((x) => x.endsWith('.yaml'))) {
      fs.writeFileSync(path.join(partial, f), fs.readFileSync(path.join(source, f)));
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(partial, dir);
    progress(`Flux ${version} manifests from ${FLUX_OPERATOR_MODULE}@${FLUX_OPERATOR_VERSION} cached in ${dir}`);
    return dir;
  });
}
