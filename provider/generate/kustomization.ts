// kustomization.yaml next to the two generated files. `flux bootstrap` writes it once, listing
// the YAML files of the directory; users then add patches to it. Declared patches are written
// into it here, or a whole file replaces it.
import type { KustomizationOverrideOptions } from '../../schema/types';
import { InputError, InputErrors } from '../errors';
import { parse } from 'yaml';
import { marshal, type YamlValue } from './goyaml/emitter';

import { COMPONENTS_FILE, SYNC_FILE } from './file-names';

export { COMPONENTS_FILE, SYNC_FILE, KUSTOMIZATION_FILE } from './file-names';

export function kustomizationObject(override?: KustomizationOverrideOptions): { [k: string]: YamlValue } {
  const k: { [k: string]: YamlValue } = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [COMPONENTS_FILE, SYNC_FILE],
  };
  if (override?.patches && override.patches.length > 0) {
    k.patches = override.patches.map((p) => {
      const entry: { [k: string]: YamlValue } = { patch: p.patch };
      const target = Object.fromEntries(Object.entries(p.target ?? {}).filter(([, v]) => v !== undefined)) as { [k: string]: YamlValue };
      if (Object.keys(target).length > 0) entry.target = target;
      return entry;
    });
  }
  return k;
}

/** Checks a user's whole kustomization.yaml: YAML, a mapping, and still listing both files. */
export function checkKustomizationContent(content: string): { [k: string]: YamlValue } {
  const fail = (reason: string, remedy: string) =>
    new InputErrors([
      new InputError({
        field: 'kustomization.content',
        value: content.length > 60 ? content.slice(0, 57) + '...' : content,
        reason,
        remedy,
      }),
    ]);
  let doc: unknown;
  try {
    doc = parse(content);
  } catch (err) {
    throw fail(`must be valid YAML (${(err as Error).message.split('\n')[0]})`, 'fix the YAML syntax');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw fail('must be a YAML mapping (a kustomization)', 'start from the generated kustomization.yaml');
  const resources = (doc as { resources?: unknown }).resources;
  const listed = Array.isArray(resources) ? resources : [];
  const missing = [COMPONENTS_FILE, SYNC_FILE].filter((f) => !listed.includes(f) && !listed.includes(`./${f}`));
  if (missing.length > 0) {
    throw fail(
      `must list ${missing.join(' and ')} under resources, or Flux stops managing itself`,
      `add ${missing.map((m) => `"${m}"`).join(' and ')} to resources`,
    );
  }
  return doc as { [k: string]: YamlValue };
}

export function generateKustomization(override?: KustomizationOverrideOptions): string {
  if (override?.content !== undefined) {
    checkKustomizationContent(override.content);
    return override.content;
  }
  return marshal(kustomizationObject(override));
}
