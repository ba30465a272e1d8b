// GitHub App authentication (`repository.auth`): the alternative to a personal token for
// GitHub and GitHub Enterprise. The same three values sign the provider's API calls and
// pushes and go into Flux's source Secret (githubAppID, githubAppInstallationID,
// githubAppPrivateKey), so no deploy key and no personal token is needed.
import { createPrivateKey } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { InputError } from '../provider/errors';
import { meta } from './fields';

const NUMERIC_ID = '^[1-9][0-9]{0,18}$';

export const GitHubAppProperties = {
  appId: Type.String({
    pattern: NUMERIC_ID,
    description: 'The App\'s numeric ID (the App\'s settings page, "App ID"; not the Client ID). A number is accepted too.',
    ...meta({ reason: 'must be the numeric App ID', remedy: 'copy "App ID" from the App\'s settings page, e.g. "123456"' }),
  }),
  installationId: Type.String({
    pattern: NUMERIC_ID,
    description:
      "The numeric ID of the App's installation on the owner of the repository (the last part of the installation's settings URL).",
    ...meta({
      reason: 'must be the numeric installation ID',
      remedy: 'copy it from https://github.com/organizations/<org>/settings/installations/<id>, e.g. "45678901"',
    }),
  }),
  privateKey: Type.String({
    minLength: 1,
    description: 'A private key of the App, PEM (the .pem file GitHub generates). Stored as a secret; Flux gets it as githubAppPrivateKey.',
    ...meta({
      reason: "must be the App's RSA private key in PEM form",
      remedy: 'generate one under the App\'s settings, "Private keys", and pass the .pem content',
      secret: true,
    }),
  }),
  caPem: Type.Optional(
    Type.String({
      minLength: 1,
      description: "GitHub Enterprise behind a private CA: the CA certificate (PEM) for API calls, pushes, and Flux (the Secret's ca.crt).",
      ...meta({ reason: 'must be a PEM CA certificate', remedy: 'give the content of the CA .crt file' }),
    }),
  ),
};

export const GitHubAppSchema = Type.Object(GitHubAppProperties, {
  $id: 'GitHubAppAuth',
  description: 'GitHub App credentials, instead of token: the provider and Flux both authenticate as the App installation.',
  additionalProperties: false,
});

export type GitHubAppInput = Static<typeof GitHubAppSchema>;

/** IDs may come as numbers (Pulumi, HCL); the schema and Flux's Secret take decimal strings. */
export function normalizeGitHubApp(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const k of ['appId', 'installationId']) if (typeof out[k] === 'number' && Number.isSafeInteger(out[k])) out[k] = String(out[k]);
  return out;
}

/** GitHub signs App JWTs with RS256 only: the key must be RSA, and readable without a passphrase. */
export function checkGitHubAppKey(privateKey: string, errors: InputError[], field = 'auth.privateKey'): void {
  let type: string | undefined;
  try {
    type = createPrivateKey(privateKey).asymmetricKeyType;
  } catch (e) {
    errors.push(
      new InputError({
        field,
        value: privateKey,
        secret: true,
        reason: `is not a readable PEM private key (${(e as Error).message.replace(/^error:[0-9A-F]+:/i, '').slice(0, 80)})`,
        remedy: 'pass the whole .pem file GitHub generated for the App, including the BEGIN and END lines, without a passphrase',
      }),
    );
    return;
  }
  if (type !== 'rsa') {
    errors.push(
      new InputError({
        field,
        value: privateKey,
        secret: true,
        reason: `is a${type === 'ec' || type === 'ed25519' ? 'n' : ''} ${type} key, but GitHub Apps sign their JWTs with RS256 and need the App's RSA key`,
        remedy: 'use a private key generated on the App\'s settings page ("Private keys"), not a deploy or SSH key',
      }),
    );
  }
}
