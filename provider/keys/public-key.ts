// SSH public keys from Node KeyObjects: the wire blob, the authorized_keys line (no comment,
// as Flux writes identity.pub) and the SHA256 fingerprint exactly as `ssh-keygen -lf` prints it.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { b64url, sshMpint, sshString, WireReader } from './ssh-wire';

export type KeyAlgorithm = 'ed25519' | 'ecdsa' | 'rsa';
export type EcdsaCurve = 'p256' | 'p384' | 'p521';

export interface PublicKeyInfo {
  algorithm: KeyAlgorithm;
  /** ecdsa only */
  curve?: EcdsaCurve;
  /** key size: modulus bits for rsa, curve bits for ecdsa, 256 for ed25519 */
  bits: number;
  /** 'ssh-ed25519', 'ecdsa-sha2-nistp384', 'ssh-rsa' */
  sshType: string;
  /** authorized_keys form without comment: 'ssh-ed25519 AAAA...' */
  publicKey: string;
  /** 'SHA256:' + unpadded base64 of sha256(blob) */
  fingerprint: string;
}

/** JWK curve name <-> SSH curve identifier <-> our short name. */
export const CURVES: Record<EcdsaCurve, { jwk: string; ssh: string; bytes: number; bits: number }> = {
  p256: { jwk: 'P-256', ssh: 'nistp256', bytes: 32, bits: 256 },
  p384: { jwk: 'P-384', ssh: 'nistp384', bytes: 48, bits: 384 },
  p521: { jwk: 'P-521', ssh: 'nistp521', bytes: 66, bits: 521 },
};

export function curveFromJwk(crv: string | undefined): EcdsaCurve {
  for (const [name, c] of Object.entries(CURVES)) if (c.jwk === crv) return name as EcdsaCurve;
  throw new Error(`unsupported ECDSA curve ${crv ?? '(none)'}: SSH supports P-256, P-384 and P-521`);
}

export function curveFromSsh(id: string): EcdsaCurve {
  for (const [name, c] of Object.entries(CURVES)) if (c.ssh === id) return name as EcdsaCurve;
  throw new Error(`unsupported ECDSA curve ${id}`);
}

export function fingerprintOf(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

export interface SshPublicBlob {
  algorithm: KeyAlgorithm;
  curve?: EcdsaCurve;
  bits: number;
  sshType: string;
  blob: Buffer;
}

/** The public key blob of a private or public KeyObject, encoded from its JWK. */
export function publicBlobOf(key: KeyObject): SshPublicBlob {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  switch (pub.asymmetricKeyType) {
    case 'ed25519': {
      const sshType = 'ssh-ed25519';
      return { algorithm: 'ed25519', bits: 256, sshType, blob: Buffer.concat([sshString(sshType), sshString(b64url(jwk.x!))]) };
    }
    case 'ec': {
      const curve = curveFromJwk(jwk.crv);
      const c = CURVES[curve];
      const sshType = `ecdsa-sha2-${c.ssh}`;
      const point = Buffer.concat([Buffer.from([4]), b64url(jwk.x!), b64url(jwk.y!)]);
      return {
        algorithm: 'ecdsa',
        curve,
        bits: c.bits,
        sshType,
        blob: Buffer.concat([sshString(sshType), sshString(c.ssh), sshString(point)]),
      };
    }
    case 'rsa': {
      const sshType = 'ssh-rsa';
      const n = b64url(jwk.n!);
      const bits = pub.asymmetricKeyDetails?.modulusLength ?? n.length * 8;
      return { algorithm: 'rsa', bits, sshType, blob: Buffer.concat([sshString(sshType), sshMpint(b64url(jwk.e!)), sshMpint(n)]) };
    }
    default:
      throw new Error(`unsupported key type ${pub.asymmetricKeyType ?? 'unknown'}: use ed25519, ecdsa or rsa`);
  }
}

export function describeBlob(b: SshPublicBlob): PublicKeyInfo {
  return {
    algorithm: b.algorithm,
    ...(b.curve ? { curve: b.curve } : {}),
    bits: b.bits,
    sshType: b.sshType,
    publicKey: `${b.sshType} ${b.blob.toString('base64')}`,
    fingerprint: fingerprintOf(b.blob),
  };
}

export function publicKeyInfo(key: KeyObject): PublicKeyInfo {
  return describeBlob(publicBlobOf(key));
}

/** Reads a public key blob back (used for OpenSSH private keys whose private part is
 *  encrypted: their public blob is stored in the clear). */
export function parsePublicBlob(blob: Buffer): SshPublicBlob {
  const r = new WireReader(blob);
  const sshType = r.text();
  if (sshType === 'ssh-ed25519') {
    if (r.bytes().length !== 32) throw new Error('bad ed25519 public key');
    return { algorithm: 'ed25519', bits: 256, sshType, blob };
  }
  if (sshType.startsWith('ecdsa-sha2-')) {
    const curve = curveFromSsh(r.text());
    return { algorithm: 'ecdsa', curve, bits: CURVES[curve].bits, sshType, blob };
  }
  if (sshType === 'ssh-rsa') {
    r.mpint();
    const n = r.mpint();
    return { algorithm: 'rsa', bits: bitLength(n), sshType, blob };
  }
  throw new Error(`unsupported SSH key type ${sshType}: use ed25519, ecdsa or rsa`);
}

function bitLength(mag: Buffer): number {
  if (mag.length === 0) return 0;
  return (mag.length - 1) * 8 + (32 - Math.clz32(mag[0]));
}
