// repository.auth (a GitHub App) as the Pulumi resources take it: checked with the schema at
// preview (IDs, an RSA key), and once per new value against GitHub (does the installation exist,
// does the key belong to the App, is the clock right), so a no-change preview costs nothing.
import { InputError } from '../errors';
import { hasUnknown, stableJson } from './common';

// loaded on use (an App given): the schema's validators are the slowest modules to load, and a
// no-change check needs none of them
const validate = () => require('../../schema/validate') as typeof import('../../schema/validate');

export interface GitHubAppInputs {
  appId: string | number;
  installationId: string | number;
  privateKey: string;
  caPem?: string;
}

/** Syntax and key type; unknown (preview) values are skipped. */
export function checkGitHubAppInputs(a: unknown, prefix = 'auth.'): InputError[] {
  if (a === undefined || hasUnknown(a)) return [];
  const field = (f: string) => (f === 'options' ? prefix.replace(/\.$/, '') : prefix + f);
  return validate()
    .checkGitHubAppAuth(a)
    .errors.map((e) => new InputError({ field: field(e.field), value: e.value, reason: e.reason, remedy: e.remedy, secret: e.secret }));
}

/** The installation lookup, when the App inputs are new or changed and fully known. */
export async function verifyGitHubApp(olds: Record<string, unknown> | undefined, news: Record<string, unknown>): Promise<InputError[]> {
  const a = news.auth as GitHubAppInputs | undefined;
  if (a === undefined || hasUnknown(a) || hasUnknown(news.apiUrl) || news.host !== 'github') return [];
  if (olds && stableJson(olds.auth) === stableJson(a) && olds.apiUrl === news.apiUrl) return [];
  if (checkGitHubAppInputs(a).length > 0) return [];
  const { githubApp } = require('../hosts/github-app') as typeof import('../hosts/github-app');
  const { githubEndpoints } = require('../hosts/urls') as typeof import('../hosts/urls');
  const ends = githubEndpoints(news.apiUrl as string | undefined);
  try {
    await githubApp(a, ends.apiUrl, ends.hostLabel).installation();
    return [];
  } catch (e) {
    if (e instanceof InputError) return [e];
    throw e;
  }
}
