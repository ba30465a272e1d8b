// The Git host as Repository and DeployKey take it: which host, which repository, how to reach
// its API. Checked here (there is no schema section for hosts), turned into a GitHost at run time.
import { appPairingProblems, nameProblem, ownerProblem } from '../../schema/repository-checks';
import { InputError } from '../errors';
import type { GitHost } from '../hosts/types';
import type { HostConfig } from '../hosts/create';
import { hasUnknown, progress } from './common';
import { checkGitHubAppInputs, type GitHubAppInputs } from './github-app-inputs';

export type HostKind = 'github' | 'gitlab' | 'gitea' | 'git';
export const HOST_KINDS: readonly HostKind[] = ['github', 'gitlab', 'gitea', 'git'];

/** Host inputs as stored; `token` travels next to them, as its own (secret) property. */
export interface HostInputs {
  host: HostKind;
  /** API hosts: user, organization or group path */
  owner?: string;
  /** API hosts: repository name */
  name?: string;
  /** plain git: the repository URL (also the sync URL) */
  url?: string;
  /** API hosts: base URL, e.g. https://gitlab.example.com (default the public service) */
  apiUrl?: string;
  /** ssh host[:port] when it differs from the web host */
  sshHost?: string;
  /** sync over ssh (default, with a deploy key) or https (with the token) */
  syncTransport?: 'ssh' | 'https';
  /** plain git: argv registering a key (public key on stdin) */
  addKeyCommand?: string[];
  /** plain git: argv removing a key */
  removeKeyCommand?: string[];
}

/** Every problem with the host inputs; unknown (preview) values are skipped. */
export function checkHostInputs(i: Partial<HostInputs> & { token?: unknown; auth?: unknown }): InputError[] {
  const errors: InputError[] = [];
  const bad = (field: string, value: unknown, reason: string, remedy: string, secret = false) =>
    errors.push(new InputError({ field, value, reason, remedy, secret }));
  const known = (v: unknown) => v !== undefined && !hasUnknown(v);
  if (hasUnknown(i.host)) return errors;
  if (!HOST_KINDS.includes(i.host as HostKind)) {
    bad('host', i.host, `must be one of ${HOST_KINDS.join(', ')}`, 'use e.g. "github", or "git" for a plain Git server');
    return errors;
  }
  if (i.host === 'git') {
    if (i.url === undefined)
      bad('url', undefined, 'a value is required for host "git"', 'give the repository URL, e.g. "ssh://git@git.example.com/fleet"');
    else if (known(i.url) && (typeof i.url !== 'string' || !/^(ssh|https?):\/\/[^/\s]+\/\S+$/.test(i.url))) {
      bad('url', i.url, 'must be an ssh://, https:// or http:// Git URL with a path', 'use e.g. "ssh://git@git.example.com/fleet"');
    }
    for (const f of ['owner', 'name', 'apiUrl'] as const) {
      if (i[f] !== undefined) bad(f, i[f], 'does not apply to host "git"', 'remove it; the url names the repository');
    }
  } else {
    // missing or known: an unknown (preview) value is judged once it is known
    const judged = (v: unknown) => v === undefined || known(v);
    const owner = judged(i.owner) ? ownerProblem(i.host as HostKind, i.owner) : undefined;
    const name = judged(i.name) ? nameProblem(i.host as HostKind, i.name) : undefined;
    for (const e of [owner, name]) if (e) errors.push(e);
    if (i.auth !== undefined) {
      errors.push(...appPairingProblems(i.host, i.token, i.auth));
      errors.push(...checkGitHubAppInputs(i.auth));
    } else if (i.token === undefined || (known(i.token) && (typeof i.token !== 'string' || i.token.trim() === ''))) {
      bad(
        'token',
        undefined,
        `a value is required to call the ${i.host} API`,
        'pass a personal access token, e.g. pulumi.secret(process.env.GITHUB_TOKEN)',
        true,
      );
    }
    if (known(i.apiUrl) && (typeof i.apiUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(i.apiUrl))) {
      bad('apiUrl', i.apiUrl, 'must be an http(s) URL', 'use e.g. "https://gitlab.example.com"');
    }
    for (const f of ['url', 'addKeyCommand', 'removeKeyCommand'] as const) {
      if (i[f] !== undefined) bad(f, i[f], `applies only to host "git"`, 'remove it');
    }
  }
  if (known(i.syncTransport) && i.syncTransport !== 'ssh' && i.syncTransport !== 'https') {
    bad('syncTransport', i.syncTransport, 'must be "ssh" or "https"', 'use "ssh" (a deploy key) or "https" (the token)');
  }
  for (const f of ['addKeyCommand', 'removeKeyCommand'] as const) {
    const v = i[f];
    if (known(v) && (!Array.isArray(v) || v.length === 0 || v.some((a) => typeof a !== 'string'))) {
      bad(f, v, 'must be a non-empty argv list (no shell)', 'give e.g. ["/usr/local/bin/register-key", "fleet"]');
    }
  }
  return errors;
}

/** The GitHost for stored inputs; `who` prefixes its progress lines. */
export function gitHostFor(i: HostInputs, token: string | undefined, who: string, app?: GitHubAppInputs): GitHost {
  const log = (line: string) => progress(who, line);
  const config: HostConfig =
    i.host === 'git'
      ? { provider: 'git', url: i.url!, addKeyCommand: i.addKeyCommand, removeKeyCommand: i.removeKeyCommand, log }
      : {
          provider: i.host,
          token: token ?? '',
          baseUrl: i.apiUrl,
          sshHost: i.sshHost,
          // a GitHub App reaches git over https only (installation tokens)
          syncTransport: app ? 'https' : i.syncTransport,
          log,
          ...(app ? { app } : {}),
        };
  // loaded on use: the host clients (Octokit, GitBeaker) are not needed by check and diff
  const { createGitHost } = require('../hosts/create') as typeof import('../hosts/create');
  return createGitHost(config);
}

/** owner/name for API calls; plain git has neither, the URL stands for both. */
export function repoRef(i: HostInputs): { owner: string; name: string } {
  return i.host === 'git' ? { owner: '', name: i.url ?? '' } : { owner: i.owner!, name: i.name! };
}

/** The host inputs picked out of a property bag, unknown and absent ones included as given. */
export function pickHostInputs(p: Record<string, unknown>): HostInputs {
  const out: Record<string, unknown> = {};
  for (const k of ['host', 'owner', 'name', 'url', 'apiUrl', 'sshHost', 'syncTransport', 'addKeyCommand', 'removeKeyCommand']) {
    if (p[k] !== undefined) out[k] = p[k];
  }
  return out as unknown as HostInputs;
}

/** Inputs that name another repository: changing them means a new resource. */
export const REPOSITORY_IDENTITY = ['host', 'owner', 'name', 'url', 'apiUrl'] as const;
