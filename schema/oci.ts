// Gitless bootstrap: a sync `url` of the form oci://<registry>/<repository>:<tag> makes Flux pull
// the manifests from an OCI artifact (an OCIRepository) instead of Git. The `oci` option holds
// what only such a source has: plain HTTP, anonymous pulls, a private CA, and signature
// verification passed through to the OCIRepository's spec.verify.
import { Type, type Static } from '@sinclair/typebox';
import { InputError } from '../provider/errors';
import { DNS1123_SUBDOMAIN, meta } from './fields';

export const OCI_SCHEME = 'oci://';

/** oci://host[:port]/lowercase/path:tag, the tag required (Flux follows one tag). */
const OCI_URL = /^oci:\/\/([a-zA-Z0-9.-]+(?::\d{1,5})?)\/([a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?$/;

export interface OciUrlParts { registry: string; repository: string; tag?: string }

export function isOciUrl(url: unknown): boolean {
  return typeof url === 'string' && url.startsWith(OCI_SCHEME);
}

export function splitOciUrl(url: string): OciUrlParts | undefined {
  const m = OCI_URL.exec(url);
  return m ? { registry: m[1], repository: m[2], tag: m[3] } : undefined;
}

/** The url's problems, as errors on `field` naming the value and the fix. */
export function checkOciUrl(url: string, errors: InputError[], field = 'url'): void {
  const parts = splitOciUrl(url);
  if (!parts) {
    errors.push(new InputError({
      field, value: url,
      reason: 'must be oci://<registry>[:<port>]/<repository>:<tag>, with a lowercase repository path (letters, digits, ".", "_", "-" between them)',
      remedy: 'use e.g. "oci://ghcr.io/acme/fleet-manifests:production"',
    }));
  } else if (parts.tag === undefined) {
    errors.push(new InputError({
      field, value: url,
      reason: 'has no tag: the artifact is pushed to, and Flux follows, one tag',
      remedy: `add the tag, e.g. "${url}:production"`,
    }));
  }
}

const VerifyIdentity = Type.Object({
  issuer: Type.String({ minLength: 1, description: 'Regular expression the OIDC issuer of the signing certificate must match.' }),
  subject: Type.String({ minLength: 1, description: 'Regular expression the OIDC subject of the signing certificate must match.' }),
}, { additionalProperties: false });

export const OciVerifySchema = Type.Object({
  provider: Type.Unsafe<'cosign' | 'notation'>({
    type: 'string', enum: ['cosign', 'notation'],
    description: 'The signature format Flux verifies before it applies the artifact.',
    ...meta({ reason: 'must be "cosign" or "notation"', remedy: 'use "cosign" or "notation"' }),
  }),
  secretName: Type.Optional(Type.String({
    pattern: DNS1123_SUBDOMAIN, maxLength: 253,
    description: 'Secret in the namespace with the cosign public keys (*.pub), or the notation trust policy and certificates. Absent: cosign keyless.',
    ...meta({ reason: "must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.')", remedy: 'use e.g. "cosign-keys"' }),
  })),
  matchOIDCIdentity: Type.Optional(Type.Array(VerifyIdentity, { description: 'Keyless cosign: the OIDC identities accepted.' })),
}, { additionalProperties: false, description: 'Signature verification (the OCIRepository\'s spec.verify), passed through as given.' });

export const OciSettingsSchema = Type.Object({
  insecure: Type.Optional(Type.Boolean({
    description: 'The registry speaks plain HTTP (spec.insecure). Default false.',
    ...meta({ reason: 'must be a boolean', remedy: 'use true or false' }),
  })),
  anonymous: Type.Optional(Type.Boolean({
    description: 'Flux pulls without credentials (a public artifact): the OCIRepository gets no secretRef and no registry Secret is made. Default false.',
    ...meta({ reason: 'must be a boolean', remedy: 'use true or false' }),
  })),
  privateCa: Type.Optional(Type.Boolean({
    description: 'The registry\'s certificate is signed by a private CA: the source Secret carries it as ca.crt and the OCIRepository\'s certSecretRef names that Secret. Default false.',
    ...meta({ reason: 'must be a boolean', remedy: 'use true or false' }),
  })),
  verify: Type.Optional(OciVerifySchema),
}, {
  additionalProperties: false,
  description: 'Only with an oci:// url (gitless bootstrap): how Flux pulls and verifies the artifact.',
  ...meta({ reason: 'applies only to an oci:// url', remedy: 'remove oci, or give url as oci://<registry>/<repository>:<tag>' }),
});

export type OciSettings = Static<typeof OciSettingsSchema>;
