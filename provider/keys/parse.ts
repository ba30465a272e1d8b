// Reads a user-given SSH private key and derives its public key and fingerprint, accepting
// what Flux's source-controller (golang.org/x/crypto/ssh) accepts: PEM PKCS#1, PKCS#8, SEC1
// (optionally with legacy PEM encryption) and the OpenSSH format (optionally encrypted).
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { KeyError } from './key-error';
import { decodeOpenSSHPrivateKey, isOpenSSHPem } from './openssh-format';
import { describeBlob, publicBlobOf, type PublicKeyInfo } from './public-key';

export type PrivateKeyFormat = 'openssh' | 'pkcs8' | 'pkcs1' | 'sec1';

export interface ParsedPrivateKey extends PublicKeyInfo {
  format: PrivateKeyFormat;
  /** the key needs a passphrase (Flux: put it in the secret's `password`) */
  encrypted: boolean;
  /** The decrypted key, absent for encrypted OpenSSH keys (their KDF, bcrypt-pbkdf, is not in
   *  Node; unlockPrivateKey() decrypts them with ssh-keygen). Not enumerable, so it never
   *  shows up in JSON or logs. */
  readonly keyObject?: KeyObject;
}

const PEM_TYPES: Record<string, PrivateKeyFormat> = {
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
};

const NOT_A_KEY_REMEDY =
  'give the private key file content, starting with "-----BEGIN OPENSSH PRIVATE KEY-----" or ' +
  '"-----BEGIN PRIVATE KEY-----" (generate one with: ssh-keygen -t ed25519 -N "" -f identity)';

export function parsePrivateKey(pem: string, passphrase?: string): ParsedPrivateKey {
  if (typeof pem === 'string' && (/-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(pem) || /^(ssh-|ecdsa-)/.test(pem.trim()))) {
    throw new KeyError('a public key was given where the private key is expected', NOT_A_KEY_REMEDY);
  }
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN ')) {
    throw new KeyError('the private key is not in PEM form', NOT_A_KEY_REMEDY);
  }
  if (isOpenSSHPem(pem)) return parseOpenSSH(pem);

  const type = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1] ?? '';
  const format = PEM_TYPES[type];
  if (!format) {
    const hint =
      type === 'DSA PRIVATE KEY' ? 'DSA keys are disabled by OpenSSH and most git hosts' : `PEM type "${type}" is not an SSH private key`;
    throw new KeyError(`unsupported private key: ${hint}`, 'use an ed25519, ecdsa or rsa key');
  }
  const encrypted = type === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
  if (type === 'ENCRYPTED PRIVATE KEY') {
    // golang.org/x/crypto/ssh has no PKCS#8 decryption, so Flux could never load it.
    throw new KeyError(
      'the private key is an encrypted PKCS#8 key ("BEGIN ENCRYPTED PRIVATE KEY"), which Flux\'s source-controller cannot read',
      'convert it to the OpenSSH format, keeping the passphrase: ssh-keygen -p -f <keyfile>',
    );
  }
  if (encrypted && !passphrase) {
    throw new KeyError('the private key is encrypted and no passphrase was given', "give the key's passphrase");
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (encrypted && /DECRYPT|BAD_PASSWORD|INTERRUPTED/.test(code)) {
      throw new KeyError('the passphrase does not decrypt the private key', 'give the passphrase the key was encrypted with');
    }
    throw new KeyError(`the private key could not be read (${code || 'malformed PEM'})`, NOT_A_KEY_REMEDY);
  }
  return withKey(describe(key), format, encrypted, key);
}

function parseOpenSSH(pem: string): ParsedPrivateKey {
  let decoded;
  try {
    decoded = decodeOpenSSHPrivateKey(pem);
  } catch (e) {
    throw new KeyError(`the OpenSSH private key could not be read (${(e as Error).message})`, NOT_A_KEY_REMEDY);
  }
  const info = describeKeyError(() => describeBlob(decoded.publicBlob));
  return withKey(info, 'openssh', decoded.encrypted, decoded.privateKey);
}

function describe(key: KeyObject): PublicKeyInfo {
  return describeKeyError(() => describeBlob(publicBlobOf(key)));
}

function describeKeyError(f: () => PublicKeyInfo): PublicKeyInfo {
  try {
    return f();
  } catch (e) {
    throw new KeyError((e as Error).message, 'use an ed25519, ecdsa (P-256/P-384/P-521) or rsa key');
  }
}

function withKey(info: PublicKeyInfo, format: PrivateKeyFormat, encrypted: boolean, key?: KeyObject): ParsedPrivateKey {
  const out: ParsedPrivateKey = { ...info, format, encrypted };
  if (key) Object.defineProperty(out, 'keyObject', { value: key, enumerable: false });
  return out;
}
