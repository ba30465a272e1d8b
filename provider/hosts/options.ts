// Options every API host takes. The token is kept wrapped from here on, so no message,
// log line or serialised object can show it.
import { InputError } from '../errors';
import { Secret } from '../secret';
import type { GitHubAppAuth } from './github-app';
import type { CloneKind } from './types';
import type { EndpointOverrides } from './urls';

export interface ApiHostOptions extends EndpointOverrides {
  /** personal access token (GitHub: classic `repo` scope, or fine-grained Administration +
   *  Metadata; GitLab: `api`; Gitea: repository and organization write) */
  token: string | Secret<string>;
  /** GitHub only: authenticate as this App installation instead (token is then ignored) */
  app?: GitHubAppAuth;
  /** the host's base URL; default github.com / gitlab.com / gitea.com */
  baseUrl?: string;
  /** which URL is the sync URL (default ssh: flux's default for host subcommands) */
  syncTransport?: CloneKind;
  /** retry and rate-limit behaviour (tests shorten it) */
  retry?: { retries?: number; baseDelayMs?: number; maxRateLimitWaitSeconds?: number };
  /** progress and warnings; every line is scrubbed of the token first */
  log?: (line: string) => void;
  /** per-request timeout, default 60 s */
  timeoutMs?: number;
}

export function requireToken(token: string | Secret<string> | undefined, envHint: string): Secret<string> {
  const v = token === undefined ? '' : Secret.unwrap(token);
  if (typeof v !== 'string' || v.trim() === '') {
    throw new InputError({
      field: 'token',
      value: undefined,
      reason: 'is required to call the host API',
      remedy: `pass a personal access token (e.g. from ${envHint}) as token`,
      secret: true,
    });
  }
  return Secret.is(token) ? token : new Secret(v.trim());
}
