// Rules a JSON Schema cannot express: version ranges, cross-field requirements, Git ref
// syntax, URL structure, and names Flux's YAML templates would misread.
import { InputError } from '../provider/errors';
import { resolvesToNonString, yaml12NonString } from '../provider/generate/goyaml/resolve';
import { parseGoDuration } from './duration';
import { REQUIRED_COMPONENTS } from './fields';

export const MIN_VERSION = 'v2.5.0';

/** [major, minor, patch] of "vX.Y.Z", or undefined. */
export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new Error(`not a release version: ${!pa ? a : b}`);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** Branch names as `git check-ref-format --branch` accepts them. */
export function isValidBranch(name: string): boolean {
  if (name === '' || name === '@' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/')) return false;
  if (name.endsWith('.') || name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

/** Whether Flux can clone from this URL: ssh/https/http, a host, and no password in it. */
export function isValidGitUrl(url: string): boolean {
  if (/\s/.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!['ssh:', 'https:', 'http:'].includes(parsed.protocol)) return false;
  return parsed.hostname !== '' && parsed.password === '';
}

/** Flux writes these names unquoted into YAML templates; kustomize must still read them as strings. */
export function isYamlSafeName(name: string): boolean {
  return !resolvesToNonString(name) && !yaml12NonString(name);
}

export function checkVersion(version: string, errors: InputError[]): void {
  if (version === 'latest') return;
  if (compareVersions(version, MIN_VERSION) < 0) {
    errors.push(
      new InputError({
        field: 'version',
        value: version,
        reason: `must be ${MIN_VERSION} or later: older releases used a generator this engine does not reproduce`,
        remedy: 'use e.g. "v2.9.3"',
      }),
    );
  }
}

export function checkComponents(components: string[], extra: string[], version: string, errors: InputError[]): void {
  for (const name of extra) {
    if (components.includes(name)) {
      errors.push(
        new InputError({
          field: 'componentsExtra',
          value: extra,
          reason: `must not repeat "${name}", which components already lists`,
          remedy: `remove "${name}" from componentsExtra`,
        }),
      );
    }
  }
  const all = [...components, ...extra];
  const missing = REQUIRED_COMPONENTS.filter((c) => !all.includes(c));
  if (missing.length > 0) {
    errors.push(
      new InputError({
        field: 'components',
        value: components,
        reason: `must include ${REQUIRED_COMPONENTS.join(' and ')}: Flux needs them to reconcile itself`,
        remedy: `add ${missing.map((m) => `"${m}"`).join(' and ')}`,
      }),
    );
  }
  if (all.includes('source-watcher') && version !== 'latest' && compareVersions(version, 'v2.7.0') < 0) {
    errors.push(
      new InputError({
        field: 'componentsExtra',
        value: extra,
        reason: `must not include "source-watcher" before Flux v2.7.0 (${version} does not ship it)`,
        remedy: 'use version "v2.7.0" or later, or remove "source-watcher"',
      }),
    );
  }
}

export function checkYamlSafe(field: string, value: string, example: string, errors: InputError[]): void {
  if (value === '' || isYamlSafeName(value)) return;
  errors.push(
    new InputError({
      field,
      value,
      reason: 'must not read as a YAML number, boolean or null: Flux writes it unquoted into its templates',
      remedy: `use a name with a letter, e.g. "${example}"`,
    }),
  );
}

export function checkInterval(interval: string, errors: InputError[]): void {
  const ns = parseGoDuration(interval);
  if (ns !== undefined && ns >= 1_000_000n) return;
  errors.push(
    new InputError({
      field: 'interval',
      value: interval,
      reason: ns === undefined ? 'must fit in a Go duration (at most about 292 years)' : 'must be at least 1ms',
      remedy: 'use e.g. "1m0s" or "90s"',
    }),
  );
}
