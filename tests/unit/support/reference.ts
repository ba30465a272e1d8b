// Paths of the real Flux data the unit tests compare against (../shared/flux beside the checkout; see its README.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootstrapOutputDir, distributionDir } from '../../harness/flux-reference';
import { loadDistribution, type Distribution } from '../../../provider/engine';

export { distributionDir };
export const GOLDEN_DIR = bootstrapOutputDir();

export function golden(file: 'gotk-components.yaml' | 'gotk-sync.yaml' | 'kustomization.yaml'): string {
  return fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8');
}

/** The options `flux bootstrap` v2.9.3 was run with for the golden output. */
export const GOLDEN_OPTIONS = {
  version: 'v2.9.3',
  componentsExtra: ['image-reflector-controller', 'image-automation-controller'],
  branch: 'master',
  url: 'ssh://git@github.com/equinor/radix-flux',
  path: 'clusters/development',
};

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
  return { header, docs: lines.slice(headerEnd).join('\n').split(/^---\n/m) };
}

export function joinDocuments(header: string, docs: string[]): string {
  return header + docs.join('---\n');
}
