// The reference the golden tests compare against: the three files `flux bootstrap` v2.9.3
// wrote with the six components for equinor/radix-flux. From the reference copy beside the
// checkout when there is one (../shared/flux/bootstrap-outputs), else from the real flux CLI
// v2.9.3 once it is built (flux-cli service): its `install --export` and `create ... --export`
// outputs for the same options, and the kustomization.yaml flux2's own generator writes beside
// them (flux-kustomization.ts, built with the CLI; a real `flux bootstrap git` pushed the same
// in the e2e differential test, whose copy is taken when there is one). Never required: callers
// decide what to do without it (unit tests skip only the byte-identity checks, saying why).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, cacheRoot } from './cache';
import { buildFluxCli } from './flux-cli-build';
import { buildFluxKustomization, builtFluxKustomization, fluxKustomization } from './flux-kustomization';
import { cliFiles, type CliCase } from './flux-cli-render';
import { sharedBootstrapOutputDir } from './flux-reference';

export type ReferenceFileName = 'gotk-components.yaml' | 'gotk-sync.yaml' | 'kustomization.yaml';

/** The options `flux bootstrap` v2.9.3 was run with for the reference output. */
export const GOLDEN_CASE: CliCase = {
  version: 'v2.9.3',
  componentsExtra: ['image-reflector-controller', 'image-automation-controller'],
  branch: 'master',
  url: 'ssh://git@github.com/equinor/radix-flux',
  path: 'clusters/development',
};

export interface BootstrapReference {
  /** where the files come from, for messages */
  source: string;
  /** a file's content, or null when this source lacks it */
  file(name: ReferenceFileName): string | null;
}

/** Where the e2e differential test keeps what `flux bootstrap git` of a release pushed. */
export function bootstrapPushedDir(release: string): string {
  return path.join(cacheRoot(), 'flux-cli-outputs', release, 'bootstrap-git');
}

function builtFluxCli(release: string): string | null {
  const dir = cacheDir('flux-cli', release);
  const bin = path.join(dir, 'bin', 'flux');
  return fs.existsSync(path.join(dir, '.complete')) && fs.existsSync(bin) ? bin : null;
}

let memo: BootstrapReference | null | undefined;

/** The reference output, or null when neither the copy nor a built flux CLI v2.9.3 exists. */
export function goldenReference(): BootstrapReference | null {
  if (memo !== undefined) return memo;
  const shared = sharedBootstrapOutputDir();
  if (shared) {
    memo = { source: shared, file: (name) => fs.readFileSync(path.join(shared, name), 'utf8') };
    return memo;
  }
  const bin = builtFluxCli(GOLDEN_CASE.version);
  if (!bin) return (memo = null);
  const files = cliFiles(bin, GOLDEN_CASE);
  const pushed = path.join(bootstrapPushedDir(GOLDEN_CASE.version), 'kustomization.yaml');
  const generator = builtFluxKustomization(GOLDEN_CASE.version);
  const kustomization = fs.existsSync(pushed)
    ? fs.readFileSync(pushed, 'utf8')
    : generator &&
      fluxKustomization(generator, { 'gotk-components.yaml': files['gotk-components.yaml'], 'gotk-sync.yaml': files['gotk-sync.yaml'] });
  memo = {
    source: `the flux CLI ${GOLDEN_CASE.version} (${bin})`,
    file: (name) => (name === 'kustomization.yaml' ? kustomization : files[name]),
  };
  return memo;
}

/** One line for a test run that has to go without the reference. */
export const NO_REFERENCE =
  'no flux bootstrap v2.9.3 reference here (no ../shared/flux beside the checkout, flux CLI v2.9.3 ' +
  'not built yet: `npm run harness -- up flux-cli` builds it): byte-identity with flux is proven by the differential tests ' +
  '(tests/integration/render-matches-flux-cli-across-releases-and-options, ' +
  'tests/e2e/flux-bootstrap-git-pushes-what-render-writes), which also build the CLI this reference comes from';

/** The reference files for harness flows that need them (integration and e2e): the copy, or
 *  the flux CLI v2.9.3's and flux2's kustomization generator's, built here if no earlier step
 *  built them (cached, minutes when cold). */
export function requireGoldenReference(): Record<ReferenceFileName, string> {
  const ref0 = goldenReference();
  if (!ref0 || ref0.file('kustomization.yaml') === null) {
    buildFluxCli(GOLDEN_CASE.version);
    buildFluxKustomization(GOLDEN_CASE.version);
    memo = undefined;
  }
  const ref = goldenReference();
  if (!ref) throw new Error(`flux CLI ${GOLDEN_CASE.version} built, yet no reference: ${NO_REFERENCE}`);
  return {
    'gotk-components.yaml': ref.file('gotk-components.yaml')!,
    'gotk-sync.yaml': ref.file('gotk-sync.yaml')!,
    'kustomization.yaml': ref.file('kustomization.yaml')!,
  };
}
