// Where the real Flux data lives that tests, the demo and the benchmark compare against:
// release manifests (`distributions/<version>`) and a real `flux bootstrap` output
// (`bootstrap-outputs/`). CI checks the project out with `../shared` beside it, wherever that
// is, so the default is found relative to the checkout, never at a fixed absolute path.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The checkout: the nearest directory above this file with the project's package.json. */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'flux-bootstrap') {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no flux-bootstrap package.json above ${__dirname}`);
  }
}

/** `FLUX_BOOTSTRAP_FLUX_REFERENCE`, or `../shared/flux` beside the checkout. */
export function fluxReferenceDir(): string {
  return process.env.FLUX_BOOTSTRAP_FLUX_REFERENCE ?? path.resolve(projectRoot(), '..', 'shared', 'flux');
}

/** Release manifests of one Flux version, as `flux install --export` and bootstrap read them. */
export function distributionDir(version: string): string {
  return path.join(fluxReferenceDir(), 'distributions', version);
}

/** The files `flux bootstrap` v2.9.3 committed, with the six components of the golden test. */
export function bootstrapOutputDir(): string {
  return path.join(fluxReferenceDir(), 'bootstrap-outputs', 'v2.9.3-six-components');
}
