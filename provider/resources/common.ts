// What every dynamic resource implementation shares: preview unknowns, check failures rendered
// from InputError, errors that keep partial state, secret-free messages and progress lines.
import { InputError, InputErrors } from '../errors';
import { makeRedactor } from '../git/redact';

/** How an unknown value (not yet computed at preview) reaches check and diff. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** True when v or anything inside it is unknown. */
export function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === 'object') return Object.values(v).some(hasUnknown);
  return false;
}

export interface Failure {
  property: string;
  reason: string;
}

/** The top-level input a field path like `install.components[2]` belongs to. */
export function rootProperty(field: string): string {
  return /^[^.[\]]+/.exec(field)?.[0] ?? field;
}

/**
 * Check failures from a validation error: each InputError becomes {property, reason} with
 * the error's own message (field, value, fix), the field renamed into the resource's inputs
 * by `prefix` (e.g. `install.`). Anything else is not bad input and is rethrown.
 */
export function failuresFrom(e: unknown, prefix = ''): Failure[] {
  const errors = e instanceof InputErrors ? e.errors : e instanceof InputError ? [e] : null;
  if (!errors) throw e;
  return errors.map((err) => {
    const field = prefix + err.field;
    const reason = prefix ? err.formatAs(field) : err.message;
    const property = rootProperty(field);
    return { property: err.secret || SECRET_BEARING.has(property) ? '' : property, reason };
  });
}

/** The inputs that hold a secret, whole or in part (the resources' secret inputs). Pulumi's
 *  engine prints a failure's property value beside its reason (`property auth value {...} has
 *  a problem`), secrets in it included: a failure in one of these names no property, and its
 *  reason alone names the field (`resource 'x' has a problem: invalid auth.privateKey [secret]`). */
export const SECRET_BEARING = new Set(['auth', 'token', 'privateKey', 'passphrase', 'cluster', 'credentials', 'registryCredentials']);

/** Failures for a list of InputErrors (none: no failures). */
export function toFailures(errors: InputError[], prefix = ''): Failure[] {
  return errors.length ? failuresFrom(new InputErrors(errors), prefix) : [];
}

/** Runs a validation and returns its failures instead of throwing. */
export function collect(fn: () => void, prefix = ''): Failure[] {
  try {
    fn();
    return [];
  } catch (e) {
    return failuresFrom(e, prefix);
  }
}

/** What `fn` returns, as a promise, and what it throws, as a rejection: an async function whose
 *  body awaits nothing. For the dynamic provider's methods (check, diff, ...) that need no I/O:
 *  they return a promise, and a failure in them rejects it rather than throwing to the caller. */
export function asAsync<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

/**
 * Thrown from create/update after something was already done: Pulumi's dynamic provider host
 * turns `id`, `properties` and `reasons` into ErrorResourceInitFailed, so the state keeps
 * what exists and the next `up` repairs the rest.
 */
export class PartialStateError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[] = [message],
  ) {
    super(message);
    this.name = 'PartialStateError';
  }
}

/** An error whose message carries none of the given secret values (nor anything shaped like a
 *  credential). Keeps `id`/`properties`/`reasons` when present. */
export function scrubbed(e: unknown, secrets: Array<string | undefined>): Error {
  const redact = makeRedactor(secrets);
  const src = e instanceof Error ? e : new Error(String(e));
  const out = new Error(redact(src.message));
  out.name = src.name;
  // the stack repeats the message; keep only the frames
  out.stack = `${out.name}: ${out.message}\n${(src.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .join('\n')}`;
  const partial = src as Partial<PartialStateError>;
  if (partial.id !== undefined) {
    Object.assign(out, { id: partial.id, properties: partial.properties, reasons: (partial.reasons ?? []).map(redact) });
  }
  return out;
}

/** Progress for long steps. The provider's stderr reaches the CLI as diagnostics. */
export function progress(resource: string, message: string): void {
  console.error(`flux-bootstrap ${resource}: ${message}`);
}

/** Drops undefined values, so outputs and stored inputs compare equal after a round trip
 *  through Pulumi's protobuf structs (which cannot hold undefined). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Stable JSON: sorted keys, for hashing and comparing option objects. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
