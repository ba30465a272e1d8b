// A key problem the user can fix: what is wrong (reason) and how to fix it (remedy). The
// message never contains key material or passphrases. Callers that know which input field
// the key came from turn it into the engine's InputError with asInputError().
import { InputError } from '../errors';

export class KeyError extends Error {
  constructor(
    readonly reason: string,
    readonly remedy: string,
  ) {
    super(`${reason}. Fix: ${remedy}`);
    this.name = 'KeyError';
  }

  /** secret defaults to true: the value of a key field is key material. */
  asInputError(field: string, value: unknown, secret = true): InputError {
    return new InputError({ field, value, reason: this.reason, remedy: this.remedy, secret });
  }
}
