// How SyncManifests pushes: an SSH key with known_hosts, HTTPS basic auth or a bearer token, or
// nothing (file:// and open servers). The whole `auth` input is a secret.
import { InputError } from '../errors';
import type { GitAuth } from '../git';
import { KeyError, parseKnownHosts, parsePrivateKey } from '../keys';
import { hasUnknown } from './common';
import { checkGitHubAppInputs } from './github-app-inputs';

export interface AuthInputs {
  /** ssh: the private key (PEM or OpenSSH) that may push */
  privateKey?: string;
  passphrase?: string;
  /** ssh: the server's host keys */
  knownHosts?: string;
  /** https: user name (default "git") with password or token */
  username?: string;
  password?: string;
  /** https: Authorization: Bearer */
  bearerToken?: string;
  /** https: PEM of a private CA */
  caPem?: string;
  /** https to GitHub: push with an installation token of this App (minted per operation) */
  githubApp?: GitHubAppPushInputs;
}

export interface GitHubAppPushInputs {
  appId: string | number;
  installationId: string | number;
  privateKey: string;
  caPem?: string;
  apiUrl?: string;
}

export function toGitAuth(a: AuthInputs | undefined): GitAuth {
  if (!a || Object.keys(a).length === 0) return { kind: 'none' };
  if (a.privateKey !== undefined)
    return { kind: 'ssh', privateKey: a.privateKey, passphrase: a.passphrase, knownHosts: a.knownHosts ?? '' };
  return { kind: 'https', username: a.username, password: a.password, bearerToken: a.bearerToken, caPem: a.caPem };
}

/** The auth for one git operation: a GitHub App's is an installation token valid for the whole operation. */
export async function resolveGitAuth(a: AuthInputs | undefined): Promise<GitAuth> {
  if (!a?.githubApp) return toGitAuth(a);
  const { githubApp } = require('../hosts/github-app') as typeof import('../hosts/github-app');
  const { githubEndpoints } = require('../hosts/urls') as typeof import('../hosts/urls');
  const ends = githubEndpoints(a.githubApp.apiUrl);
  const { token } = await githubApp(a.githubApp, ends.apiUrl, ends.hostLabel).token();
  return { kind: 'https', username: 'x-access-token', password: token, caPem: a.githubApp.caPem ?? a.caPem };
}

/** Every secret value in the auth, for scrubbing messages. */
export function authSecrets(a: AuthInputs | undefined): string[] {
  return a
    ? [a.privateKey, a.passphrase, a.password, a.bearerToken, a.githubApp?.privateKey].filter((s): s is string => typeof s === 'string')
    : [];
}

const FIELDS = ['privateKey', 'passphrase', 'knownHosts', 'username', 'password', 'bearerToken', 'caPem', 'githubApp'];

export function checkAuth(a: unknown, pushUrl: unknown): InputError[] {
  if (a === undefined || hasUnknown(a)) return [];
  const errors: InputError[] = [];
  const bad = (field: string, value: unknown, reason: string, remedy: string, secret = false) =>
    errors.push(new InputError({ field: `auth.${field}`, value, reason, remedy, secret }));
  if (typeof a !== 'object' || a === null || Array.isArray(a)) {
    errors.push(
      new InputError({
        field: 'auth',
        value: a,
        reason: 'must be an object',
        remedy: 'give {privateKey, knownHosts} for ssh, or {username, password} / {bearerToken} for https',
        secret: true,
      }),
    );
    return errors;
  }
  const i = a as AuthInputs & Record<string, unknown>;
  for (const k of Object.keys(i))
    if (!FIELDS.includes(k)) bad(k, undefined, 'is not a known option', `remove it (known options: ${FIELDS.join(', ')})`);
  if (i.githubApp !== undefined) {
    if (i.privateKey !== undefined || i.password !== undefined || i.bearerToken !== undefined)
      bad('githubApp', undefined, 'cannot be combined with privateKey, password or bearerToken', 'keep the App or the other credentials');
    // apiUrl says where the App lives (Enterprise); the rest is the App itself
    const { apiUrl, ...app } = i.githubApp;
    if (apiUrl !== undefined && !hasUnknown(apiUrl) && !/^https?:\/\/\S+$/.test(String(apiUrl)))
      bad('githubApp.apiUrl', apiUrl, 'must be an http(s) URL', 'use e.g. "https://ghe.example.com/api/v3"');
    errors.push(...checkGitHubAppInputs(app, 'auth.githubApp.'));
    return errors;
  }
  const ssh = i.privateKey !== undefined;
  const https = i.password !== undefined || i.bearerToken !== undefined || i.username !== undefined;
  if (ssh && https)
    bad(
      'privateKey',
      i.privateKey,
      'cannot be combined with username, password or bearerToken',
      'keep the ssh key or the https credentials',
      true,
    );
  if (ssh) {
    if (i.knownHosts === undefined)
      bad(
        'knownHosts',
        undefined,
        'is required with an ssh key (host keys are always checked)',
        "give the server's known_hosts, e.g. the output of ssh-keyscan after checking its fingerprint",
      );
    else if (!hasUnknown(i.knownHosts)) {
      try {
        parseKnownHosts(String(i.knownHosts));
      } catch (e) {
        if (!(e instanceof KeyError)) throw e;
        bad('knownHosts', undefined, e.reason, e.remedy);
      }
    }
    if (!hasUnknown(i.privateKey) && !hasUnknown(i.passphrase)) {
      try {
        parsePrivateKey(String(i.privateKey), i.passphrase === undefined ? undefined : String(i.passphrase));
      } catch (e) {
        if (!(e instanceof KeyError)) throw e;
        bad('privateKey', i.privateKey, e.reason, e.remedy, true);
      }
    }
  }
  if (i.bearerToken !== undefined && (i.password !== undefined || i.username !== undefined)) {
    bad('bearerToken', i.bearerToken, 'cannot be combined with username and password', 'keep one of them', true);
  }
  if (i.username !== undefined && i.password === undefined)
    bad('password', undefined, 'is required with a username', 'give the password or token', true);
  if (typeof pushUrl === 'string' && !hasUnknown(pushUrl)) {
    if (ssh && !/^ssh:\/\/|^[^/\s:]+@[^/\s:]+:/.test(pushUrl))
      bad(
        'privateKey',
        i.privateKey,
        `does not fit the push URL ${pushUrl}`,
        'use an ssh:// URL with an ssh key, or https credentials',
        true,
      );
    if (https && !/^https?:\/\//.test(pushUrl))
      bad('password', undefined, `does not fit the push URL ${pushUrl}`, 'use an https:// URL with https credentials, or an ssh key', true);
  }
  return errors;
}
