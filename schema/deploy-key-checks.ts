// How a deploy key is made, as every front end takes it: an algorithm, its curve or size, or a
// key of the user's own instead. The Pulumi resources, the CDKTF constructs and the key
// generator (provider/keys) judge the same values with these rules and say the same words.
import { InputError } from '../provider/errors';

export const KEY_ALGORITHMS = ['ed25519', 'ecdsa', 'rsa'] as const;
export const ECDSA_CURVES = ['p256', 'p384', 'p521'] as const;
/** RSA sizes: 2048 is the floor git hosts and OpenSSH's RequiredRSASize still accept comfortably. */
export const RSA_BITS = { min: 2048, max: 16384, multipleOf: 8 };

export interface KeyOptions {
  algorithm?: unknown;
  curve?: unknown;
  bits?: unknown;
  /** given: the key is the user's, and nothing about making one applies */
  privateKey?: unknown;
}

const isRsaSize = (b: unknown) =>
  typeof b === 'number' && Number.isInteger(b) && b >= RSA_BITS.min && b <= RSA_BITS.max && b % RSA_BITS.multipleOf === 0;

/**
 * Every problem of the key options, at most one per field, fields named `algorithm`, `curve` and
 * `bits` (the caller adds its prefix). `known(v)`: whether a value can be judged yet (not a
 * preview's unknown, not a Terraform reference); unknown ones are left for later.
 */
export function keyOptionProblems(o: KeyOptions, known: (v: unknown) => boolean = () => true): InputError[] {
  const errors: InputError[] = [];
  const bad = (field: 'algorithm' | 'curve' | 'bits', reason: string, remedy: string) =>
    errors.push(new InputError({ field, value: o[field], reason, remedy }));
  if (o.privateKey !== undefined) {
    for (const f of ['algorithm', 'curve', 'bits'] as const)
      if (o[f] !== undefined) bad(f, 'does not apply to a given privateKey', `remove ${f}, or remove privateKey to generate a key`);
    return errors;
  }
  const algorithm = o.algorithm ?? 'ed25519';
  const judged = known(algorithm);
  const valid = judged && (KEY_ALGORITHMS as readonly unknown[]).includes(algorithm);
  if (judged && !valid) bad('algorithm', `must be one of ${KEY_ALGORITHMS.join(', ')}`, 'use "ed25519"');
  if (o.curve !== undefined) {
    if (valid && algorithm !== 'ecdsa') bad('curve', 'applies only to ecdsa keys', 'remove curve, or set algorithm: "ecdsa"');
    else if (known(o.curve) && !(ECDSA_CURVES as readonly unknown[]).includes(o.curve))
      bad('curve', `must be one of ${ECDSA_CURVES.join(', ')}`, 'use "p384", like the flux CLI');
  }
  if (o.bits !== undefined) {
    if (valid && algorithm !== 'rsa') bad('bits', 'applies only to rsa keys', 'remove bits, or set algorithm: "rsa"');
    else if (known(o.bits) && !isRsaSize(o.bits))
      bad('bits', `must be a multiple of ${RSA_BITS.multipleOf} between ${RSA_BITS.min} and ${RSA_BITS.max}`, 'use 4096');
  }
  return errors;
}
