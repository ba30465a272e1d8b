import { inspect } from 'node:util';

const REDACTED = '[secret]';

/**
 * Wraps a sensitive value so that it cannot leak through logs, error messages,
 * JSON serialisation or util.inspect. Only `reveal()` returns the real value.
 */
export class Secret<T = string> {
  // A closure instead of a field: `#private` breaks Pulumi's function serialisation,
  // and a plain property would show up in Object.keys / structuredClone.
  readonly reveal: () => T;

  constructor(value: T) {
    this.reveal = () => value;
    Object.freeze(this);
  }

  static is(value: unknown): value is Secret<unknown> {
    return value instanceof Secret;
  }

  /** Returns the raw value of a Secret, or the value itself when it is not wrapped. */
  static unwrap<T>(value: T | Secret<T>): T {
    return value instanceof Secret ? value.reveal() : value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }

  get [Symbol.toStringTag](): string {
    return REDACTED;
  }
}

export const SECRET_PLACEHOLDER = REDACTED;
