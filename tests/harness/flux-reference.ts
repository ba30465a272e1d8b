// Where the real Flux data lives that tests, the demo and the benchmark compare against:
// release manifests (`distributions/<version>`) and a real `flux bootstrap` output
// (`bootstrap-outputs/`). A reference copy (`../shared/flux` beside the checkout, or
// FLUX_BOOTSTRAP_FLUX_REFERENCE) is used when present, never required: release manifests
// otherwise come from the flux-operator Go module (flux-operator-data.ts), and the bootstrap
// output from the real flux CLI (flux-cli-reference.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fluxOperatorManifests } from './flux-operator-data';

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

/** `FLUX_BOOTSTRAP_FLUX_REFERENCE`, or `../shared/flux` beside the checkout (may not exist). */
export function fluxReferenceDir(): string {
  return process.env.FLUX_BOOTSTRAP_FLUX_REFERENCE ?? path.resolve(projectRoot(), '..', 'shared', 'flux');
}

/** Release manifests of one Flux version, as `flux install --export` and bootstrap read them:
 *  the reference copy's when it has them, else the flux-operator module's (cached). */
export function distributionDir(version: string): string {
  const copy = path.join(fluxReferenceDir(), 'distributions', version);
  return fs.existsSync(path.join(copy, 'source-controller.yaml')) ? copy : fluxOperatorManifests(version);
}

/** The files `flux bootstrap` v2.9.3 committed with the six components of the golden test, in
 *  the reference copy; null without one (flux-cli-reference.ts has the CLI's own). */
export function sharedBootstrapOutputDir(): string | null {
  const dir = path.join(fluxReferenceDir(), 'bootstrap-outputs', 'v2.9.3-six-components');
  return fs.existsSync(path.join(dir, 'gotk-components.yaml')) ? dir : null;
}
