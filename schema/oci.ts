// Gitless bootstrap: a sync `url` of the form oci://<registry>/<repository>:<tag> makes Flux pull
// the manifests from an OCI artifact (an OCIRepository) instead of Git. The `oci` option holds
// what only such a source has: plain HTTP, anonymous pulls, a private CA, and signature
// verification passed through to the OCIRepository's spec.verify.
import { Type, type Static } from '@sinclair/typebox';
import { DNS1123_SUBDOMAIN, meta } from './fields';

export { OCI_SCHEME, isOciUrl, splitOciUrl, checkOciUrl, type OciUrlParts } from './oci-url';

const VerifyIdentity = Type.Object(
  {
    issuer: Type.String({ minLength: 1, description: 'Regular expression the OIDC issuer of the signing certificate must match.' }),
    subject: Type.String({ minLength: 1, description: 'Regular expression the OIDC subject of the signing certificate must match.' }),
  },
  { additionalProperties: false },
);

export const OciVerifySchema = Type.Object(
  {
    provider: Type.Unsafe<'cosign' | 'notation'>({
      type: 'string',
      enum: ['cosign', 'notation'],
      description: 'The signature format Flux verifies before it applies the artifact.',
      ...meta({ reason: 'must be "cosign" or "notation"', remedy: 'use "cosign" or "notation"' }),
    }),
    secretName: Type.Optional(
      Type.String({
        pattern: DNS1123_SUBDOMAIN,
        maxLength: 253,
        description:
          'Secret in the namespace with the cosign public keys (*.pub), or the notation trust policy and certificates. Absent: cosign keyless.',
        ...meta({ reason: "must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.')", remedy: 'use e.g. "cosign-keys"' }),
      }),
    ),
    matchOIDCIdentity: Type.Optional(Type.Array(VerifyIdentity, { description: 'Keyless cosign: the OIDC identities accepted.' })),
  },
  { additionalProperties: false, description: "Signature verification (the OCIRepository's spec.verify), passed through as given." },
);

export const OciSettingsSchema = Type.Object(
  {
    insecure: Type.Optional(
      Type.Boolean({
        description: 'The registry speaks plain HTTP (spec.insecure). Default false.',
        ...meta({ reason: 'must be a boolean', remedy: 'use true or false' }),
      }),
    ),
    anonymous: Type.Optional(
      Type.Boolean({
        description:
          'Flux pulls without credentials (a public artifact): the OCIRepository gets no secretRef and no registry Secret is made. Default false.',
        ...meta({ reason: 'must be a boolean', remedy: 'use true or false' }),
      }),
    ),
    privateCa: Type.Optional(
      Type.Boolean({
        description:
          "The registry's certificate is signed by a private CA: the source Secret carries it as ca.crt and the OCIRepository's certSecretRef names that Secret. Default false.",
        ...meta({ reason: 'must be a boolean', remedy: 'use true or false' }),
      }),
    ),
    verify: Type.Optional(OciVerifySchema),
  },
  {
    additionalProperties: false,
    description: 'Only with an oci:// url (gitless bootstrap): how Flux pulls and verifies the artifact.',
    ...meta({ reason: 'applies only to an oci:// url', remedy: 'remove oci, or give url as oci://<registry>/<repository>:<tag>' }),
  },
);

export type OciSettings = Static<typeof OciSettingsSchema>;
