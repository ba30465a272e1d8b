// The idempotent upsert all API hosts share: compare what is registered with what we want
// and say what to keep, what to remove and whether to create.
import { InputError } from '../errors';

/** `type base64` of an OpenSSH public key: hosts drop the comment, so compare only this. */
export function publicKeyId(publicKey: string, field = 'publicKey'): string {
  const parts = publicKey.trim().split(/\s+/);
  if (
    parts.length < 2 ||
    !/^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+)$/.test(parts[0]) ||
    !/^[A-Za-z0-9+/]+=*$/.test(parts[1])
  ) {
    throw new InputError({
      field,
      value: `${publicKey.slice(0, 30)}...`,
      reason: 'is not an OpenSSH public key',
      remedy: 'give the key in authorized_keys form, e.g. "ssh-ed25519 AAAA..." (the `identity.pub` of the source secret)',
    });
  }
  return `${parts[0]} ${parts[1]}`;
}

export interface RegisteredKey {
  id: string;
  title: string;
  key: string;
  readOnly: boolean;
}

export interface UpsertPlan {
  /** already registered exactly as wanted */
  keep?: RegisteredKey;
  /** to delete before creating: the same title with other content, or the same key under
   *  another title (hosts accept a key once per repository) */
  remove: RegisteredKey[];
}

export function planUpsert(existing: RegisteredKey[], want: { title: string; publicKey: string; readOnly: boolean }): UpsertPlan {
  const id = publicKeyId(want.publicKey);
  const same = (k: RegisteredKey) => k.title === want.title && sameKey(k.key, id) && k.readOnly === want.readOnly;
  const keep = existing.find(same);
  if (keep) return { keep, remove: [] };
  return { remove: existing.filter((k) => k.title === want.title || sameKey(k.key, id)) };
}

function sameKey(registered: string, id: string): boolean {
  try {
    return publicKeyId(registered) === id;
  } catch {
    return false;
  }
}
