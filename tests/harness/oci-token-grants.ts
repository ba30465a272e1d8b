// Who may do what on the harness's token registry (oci-registry-token.ts), decided the way the
// distribution token spec asks of a token server: the token grants the intersection of the
// actions asked and the actions allowed, and is never refused for asking too much (the
// registry then refuses the request the token does not cover). Bad credentials are refused.
import { createHash, timingSafeEqual } from 'node:crypto';

export type Action = 'pull' | 'push';

export interface TokenUser {
  username: string;
  /** sha256 hex of the password: the config file holds no password */
  passwordSha256: string;
  actions: Action[];
}

export interface GrantPolicy {
  users: TokenUser[];
  /** repository name prefixes anyone may pull without credentials (public repositories) */
  anonymousPull: string[];
}

/** One `access` claim entry, as distribution reads it. */
export interface ResourceActions {
  type: string;
  name: string;
  actions: string[];
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** `repository:fleet/prod:pull,push` -> {type, name, actions}; names may hold ':' (a port). */
export function parseScope(scope: string): ResourceActions | null {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first + 1) return null;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

/** The user the Basic header names, null for anonymous; 'refused' for a bad header or password. */
export function authenticate(policy: GrantPolicy, header: string | undefined): TokenUser | null | 'refused' {
  if (header === undefined) return null;
  const m = /^basic\s+(\S+)$/i.exec(header);
  if (!m) return 'refused';
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'refused';
  const user = policy.users.find((u) => u.username === decoded.slice(0, colon));
  const given = Buffer.from(sha256Hex(decoded.slice(colon + 1)), 'hex');
  // compare even for an unknown user, so the time taken does not tell which names exist
  const want = Buffer.from(user?.passwordSha256 ?? sha256Hex(''), 'hex');
  return user && timingSafeEqual(given, want) ? user : 'refused';
}

/** What a token for `user` (null: anonymous) asking `asked` may do: repositories only. */
export function grant(policy: GrantPolicy, user: TokenUser | null, asked: ResourceActions[]): ResourceActions[] {
  const out: ResourceActions[] = [];
  for (const a of asked) {
    if (a.type !== 'repository') continue;
    const allowed: string[] = user ? user.actions : policy.anonymousPull.some((p) => a.name.startsWith(p)) ? ['pull'] : [];
    const actions = a.actions.filter((x) => allowed.includes(x));
    if (actions.length > 0) out.push({ type: a.type, name: a.name, actions });
  }
  return out;
}
