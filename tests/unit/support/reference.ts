// The real Flux data the unit tests compare against: release manifests (tests/harness/
// flux-reference.ts: ../shared/flux when present, else the flux-operator module) and the
// reference bootstrap output (tests/harness/flux-cli-reference.ts: the copy, or the real flux
// CLI once built). Without the reference only the byte-identity checks skip, saying why.
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

/** Whether the reference has `file`; says once per test file why not. */
export function hasGolden(file: ReferenceFileName): boolean {
  const has = reference?.file(file) != null;
  if (!has && !told) {
    told = true;
    process.stderr.write(
      `[reference] ${file}: ${reference ? `absent from ${reference.source}; the e2e differential test caches it` : NO_REFERENCE}; the byte-identity checks against it are skipped\n`,
    );
  }
  return has;
}

/** `test`, or `test.skip` when the reference lacks `file` (the differential tests cover it). */
export function testWithGolden(file: ReferenceFileName): jest.It {
  return hasGolden(file) ? test : test.skip;
}

/** The real flux output for the golden options; throws without it (guard with testWithGolden). */
export function golden(file: ReferenceFileName): string {
  const text = reference?.file(file);
  if (text == null) throw new Error(`no reference ${file}: ${NO_REFERENCE}`);
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
