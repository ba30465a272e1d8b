// A registry token as distribution's `auth: token` verifies it (registry/auth/token): a JWT
// signed ES256 with a key whose certificate is in the registry's `rootcertbundle` (sent in
// the x5c header, so the registry checks the chain), `iss` = its issuer, `aud` = its service,
// `exp`/`nbf` (it allows 60 s of skew) and the `access` claim with the granted actions.
import { randomBytes, sign, type KeyObject } from 'node:crypto';
import type { ResourceActions } from './oci-token-grants';

export interface TokenClaims {
  issuer: string;
  service: string;
  subject: string;
  access: ResourceActions[];
  lifetimeSeconds: number;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** `certDer`: the signing certificate (DER), issued by the CA in rootcertbundle. */
export function signRegistryToken(key: KeyObject, certDer: Buffer, c: TokenClaims, now = Math.floor(Date.now() / 1000)): string {
  const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] };
  const claims = {
    iss: c.issuer,
    sub: c.subject,
    aud: c.service,
    exp: now + c.lifetimeSeconds,
    nbf: now - 1,
    iat: now,
    jti: randomBytes(12).toString('hex'),
    access: c.access,
  };
  const input = `${b64url(header)}.${b64url(claims)}`;
  // JWS wants the raw r||s form of an ECDSA signature, not DER
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
