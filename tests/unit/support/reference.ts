// The real Flux data the unit tests compare against: release manifests (tests/harness/
// flux-reference.ts: ../shared/flux when present, else the flux-operator module) and the
// reference bootstrap output (tests/harness/flux-cli-reference.ts: the copy, or the real flux
// CLI and flux2's kustomization generator, which the flux-cli service builds before any test of
// `npm test` runs). Without the reference only the byte-identity checks skip, saying why.
import { distributionDir } from '../../harness/flux-reference';
import { GOLDEN_CASE, goldenReference, NO_REFERENCE, type ReferenceFileName } from '../../harness/flux-cli-reference';
import {
  generateComponents,
  generateKustomization,
  generateSync,
  loadDistribution,
  validateRender,
  type Distribution,
} from '../../../provider/engine';

export { distributionDir };

const reference = goldenReference();
let told = false;

/** Whether there is a reference (the copy, or the built flux CLI); says once per test file why
 *  not. Where there is one it must hold every file: a file it lacks fails the test that needs it
 *  (the flux-cli service builds all three before a test runs) rather than skipping it. */
export function hasGolden(file: ReferenceFileName): boolean {
  if (!reference && !told) {
    told = true;
    process.stderr.write(`[reference] ${file}: ${NO_REFERENCE}; the byte-identity checks against it are skipped\n`);
  }
  return reference !== null;
}

/** `test`, or `test.skip` without any reference (the differential tests cover it). */
export function testWithGolden(file: ReferenceFileName): jest.It {
  return hasGolden(file) ? test : test.skip;
}

/** The real flux output for the golden options; throws without it (guard with testWithGolden). */
export function golden(file: ReferenceFileName): string {
  const text = reference?.file(file);
  if (text == null)
    throw new Error(
      reference
        ? `the reference from ${reference.source} lacks ${file}: the flux-cli service builds flux2's generator of it (npm run harness -- up flux-cli)`
        : `no reference ${file}: ${NO_REFERENCE}`,
    );
  return text;
}

/** The reference file when there is one, else the engine's own rendering of the golden options:
 *  a base for tests of what an option changes, whose byte-identity the golden tests prove. */
export async function goldenOrRendered(file: ReferenceFileName): Promise<string> {
  const text = reference?.file(file);
  if (text != null) return text;
  if (file === 'kustomization.yaml') return generateKustomization();
  const opts = validateRender(GOLDEN_OPTIONS);
  return file === 'gotk-sync.yaml' ? generateSync(opts) : generateComponents(opts, await distribution('v2.9.3'));
}

/** The options `flux bootstrap` v2.9.3 was run with for the golden output. */
export const GOLDEN_OPTIONS = GOLDEN_CASE;

const loaded = new Map<string, Promise<Distribution>>();
export function distribution(version: 'v2.8.5' | 'v2.9.3'): Promise<Distribution> {
  if (!loaded.has(version)) loaded.set(version, loadDistribution({ version, source: distributionDir(version) }));
  return loaded.get(version)!;
}

/** Splits a gotk-components.yaml into its header and its `---`-separated documents. */
export function documents(text: string): { header: string; docs: string[] } {
  const lines = text.split('\n');
  const headerEnd = lines.findIndex((l, i) => i > 0 && !l.startsWith('#'));
  const header = lines.slice(0, headerEnd).join('\n') + '\n';
  return {
    header,
    docs: lines
      .slice(headerEnd)
      .join('\n')
      .split(/^---\n/m),
  };
}

export function joinDocuments(header: string, docs: string[]): string {
  return header + docs.join('---\n');
}
