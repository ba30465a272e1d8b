// Building blocks shared by the input schemas: the exact syntax rules (Kubernetes names,
// Go durations, Git refs) and the metadata every field carries for error messages and docs.
// Free of typebox at load: the checks that import these constants run where no schema is built.
import type { TUnsafe } from '@sinclair/typebox';

/** What an invalid value is told: `invalid <field> <value>: <reason>. Fix: <remedy>.` */
export interface FieldMeta {
  reason: string;
  remedy: string;
  /** The `flux bootstrap` flag this field mirrors, e.g. `--cluster-domain`. */
  flag?: string;
  /** Rendered as [secret] in every message. */
  secret?: boolean;
}

/** Metadata keywords; validate.ts registers them with ajv so strict mode accepts them. */
export const META_KEYWORDS = ['x-reason', 'x-remedy', 'x-flag', 'x-secret'] as const;

export function meta(m: FieldMeta): Record<string, unknown> {
  const out: Record<string, unknown> = { 'x-reason': m.reason, 'x-remedy': m.remedy };
  if (m.flag) out['x-flag'] = m.flag;
  if (m.secret) out['x-secret'] = true;
  return out;
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** RFC 1123 label: namespace names. */
export const DNS1123_LABEL = `^${LABEL}$`;
/** RFC 1123 subdomain: Secret names, cluster domains. */
export const DNS1123_SUBDOMAIN = `^${LABEL}(\\.${LABEL})*$`;
/** Kubernetes qualified name (label / taint key): optional DNS prefix, then a 63-char name. */
export const QUALIFIED_NAME = `^(${LABEL}(\\.${LABEL})*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`;
/** The interval syntax Flux's CRDs accept (a subset of Go's time.ParseDuration). */
export const GO_DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
/** Flux release tag; "latest" is resolved by a release URL at load time. */
export const RELEASE_VERSION = '^(latest|v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*))$';
/** Registry host[:port] followed by a lowercase repository path, per the image reference grammar. */
export const REGISTRY =
  '^(|[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*(:[0-9]{1,5})?' +
  '(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$';
/** A path below the repository root: no leading '/', no '..' segment, no backslash or control characters. */
export const RELATIVE_PATH = '^(?!/)(?!.*(^|/)\\.\\.(/|$))[^\\\\\\x00-\\x1f\\x7f]*$';

export const COMPONENTS_DEFAULT = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'] as const;
export const COMPONENTS_EXTRA = ['image-reflector-controller', 'image-automation-controller', 'source-watcher'] as const;
export const KNOWN_COMPONENTS = [...COMPONENTS_DEFAULT, ...COMPONENTS_EXTRA] as const;
export type ComponentName = (typeof KNOWN_COMPONENTS)[number];
/** `flux bootstrap` refuses to run without these two. */
export const REQUIRED_COMPONENTS: readonly ComponentName[] = ['source-controller', 'kustomize-controller'];

export function stringEnum<T extends string>(values: readonly T[], options: Record<string, unknown>): TUnsafe<T> {
  const { Type } = require('@sinclair/typebox') as typeof import('@sinclair/typebox');
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** Marks enums typed as any string: the schema checks the value at run time, and programs may
 *  pass a plain string (a config value) without a cast. A symbol key, so it survives typebox's
 *  cloning and never reaches JSON; input-types-generator.ts looks for it. */
export const OPEN_ENUM = Symbol.for('flux-bootstrap.openEnum');

export function openStringEnum(values: readonly string[], options: Record<string, unknown>): TUnsafe<string> {
  return Object.assign(stringEnum<string>(values, options), { [OPEN_ENUM]: true });
}
