import { Secret, SECRET_PLACEHOLDER } from './secret';
import { text } from './text';

/** Renders an input value for a message; secrets never show. */
export function displayValue(value: unknown, secret = false): string {
  if (secret || Secret.is(value)) return SECRET_PLACEHOLDER;
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    // JSON writes no function or symbol
    return JSON.stringify(value) ?? text(value);
  } catch {
    // a bigint, or an object with a cycle
    return text(value);
  }
}

export interface InputErrorInit {
  /** Option name as the schema spells it, e.g. `namespace` or `components[2]`. */
  field: string;
  value: unknown;
  /** What is wrong, phrased to follow "must ..." or a short statement. */
  reason: string;
  /** What to do instead, e.g. `use e.g. "flux-system"`. */
  remedy: string;
  /** When true the value is shown as [secret]. */
  secret?: boolean;
}

/**
 * The one error type for bad input. Pulumi check failures, CLI messages and CDKTF
 * synth errors are all rendered from it, so every layer names the field, the value
 * and the remedy the same way.
 */
export class InputError extends Error {
  readonly field: string;
  readonly value: unknown;
  readonly reason: string;
  readonly remedy: string;
  readonly secret: boolean;

  constructor(init: InputErrorInit) {
    const secret = init.secret === true || Secret.is(init.value);
    super(formatInputError(init.field, init.value, init.reason, init.remedy, secret));
    this.name = 'InputError';
    this.field = init.field;
    // Keep secrets wrapped so that the error object itself cannot leak them.
    this.value = secret && !Secret.is(init.value) ? new Secret(init.value) : init.value;
    this.reason = init.reason;
    this.remedy = init.remedy;
    this.secret = secret;
  }

  /** The same message with the field spelled differently, e.g. as a CLI flag. */
  formatAs(label: string): string {
    return formatInputError(label, this.value, this.reason, this.remedy, this.secret);
  }

  toJSON(): Record<string, unknown> {
    return {
      field: this.field,
      value: this.secret ? SECRET_PLACEHOLDER : this.value,
      reason: this.reason,
      remedy: this.remedy,
      message: this.message,
    };
  }
}

export function formatInputError(field: string, value: unknown, reason: string, remedy: string, secret = false): string {
  const head = value === undefined ? `missing ${field}` : `invalid ${field} ${displayValue(value, secret)}`;
  return `${head}: ${reason}. Fix: ${remedy}.`;
}

/** Every problem found in one input set; validation never stops at the first one. */
export class InputErrors extends AggregateError {
  declare readonly errors: InputError[];

  constructor(errors: InputError[]) {
    super(errors, errors.map((e) => e.message).join('\n'));
    this.name = 'InputErrors';
  }

  static throwIfAny(errors: InputError[]): void {
    if (errors.length > 0) throw new InputErrors(errors);
  }
}

/** A release archive or directory that does not have the shape Flux's generator expects. */
export class DistributionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DistributionError';
  }
}
