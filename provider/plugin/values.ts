// Pulumi's wire form of property values, as a provider plugin sees them: secrets arrive wrapped
// in a signature object and unknowns as a sentinel string. The engine (provider/resources/*)
// works on plain values with the sentinel, exactly as the dynamic provider hands them over, so
// the plugin unwraps on the way in, remembers which properties were secret, and wraps them (and
// the resource's secret outputs) on the way out.
import { UNKNOWN } from '../resources/common';

/** Signature key and value that mark a secret in a protobuf Struct. */
export const SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export type Props = Record<string, unknown>;

function isSecretValue(v: unknown): v is { value: unknown } {
  return !!v && typeof v === 'object' && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The plain value of v (secrets unwrapped at any depth) and whether any part was secret. */
export function unwrap(v: unknown): { value: unknown; secret: boolean } {
  if (isSecretValue(v)) return { value: unwrap(v.value).value, secret: true };
  if (Array.isArray(v)) {
    const parts = v.map(unwrap);
    return { value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
  }
  if (v && typeof v === 'object') {
    let secret = false;
    const out: Props = {};
    for (const [k, x] of Object.entries(v)) {
      const p = unwrap(x);
      out[k] = p.value;
      secret ||= p.secret;
    }
    return { value: out, secret };
  }
  return { value: v, secret: false };
}

/** Plain properties, and the top-level names that held a secret anywhere inside. */
export function unwrapProps(props: Props | undefined): { values: Props; secrets: Set<string> } {
  const values: Props = {};
  const secrets = new Set<string>();
  for (const [k, v] of Object.entries(props ?? {})) {
    const p = unwrap(v);
    values[k] = p.value;
    if (p.secret) secrets.add(k);
  }
  return { values, secrets };
}

export function secretOf(value: unknown): Props {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** props with each named top-level property wrapped as a secret (unknowns stay unknown). */
export function wrapProps(props: Props, secrets: Iterable<string>): Props {
  const out: Props = { ...props };
  for (const k of secrets) {
    if (out[k] !== undefined && out[k] !== UNKNOWN) out[k] = secretOf(out[k]);
  }
  return out;
}

/** A protobuf Struct cannot hold undefined: drop such entries at any depth. */
export function defined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : defined(x)));
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, defined(x)]),
    );
  }
  return v;
}
