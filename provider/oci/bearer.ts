// The Bearer token flow of the distribution token spec, which ghcr.io, Docker Hub, ACR, GitLab,
// Harbor and distribution's `auth: token` speak: the registry answers 401 with
// `WWW-Authenticate: Bearer realm=...,service=...,scope=...`; a token comes from the realm
// (GET, Basic credentials or none) for one repository and its actions. Tokens are kept per
// registry, scope and credentials until shortly before they expire, for the whole process: a
// refresh and the update after it in one `pulumi up`, or the plugin's later calls, ask again
// only when a token runs out. No token or password is ever written to a message from here.
import { createHash } from 'node:crypto';

export interface BearerChallenge {
  realm: string;
  service?: string;
  scope?: string;
  /** `invalid_token` (expired, revoked) or `insufficient_scope` (the token lacks an action) */
  error?: string;
}

/** The Bearer challenge of a WWW-Authenticate header; null for Basic or none. */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | null {
  const m = /^\s*bearer\s+(.*)$/is.exec(header ?? '');
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const p of m[1].matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  }
  if (!params.realm) return null;
  return { realm: params.realm, service: params.service, scope: params.scope, error: params.error };
}

/** How long to keep a token: `expires_in` (60 s when absent, as the spec says) less a margin,
 *  so a token is not sent in its last seconds. */
export function keepMs(expiresIn: unknown): number {
  const seconds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 60;
  return Math.max(0, seconds - Math.max(5, seconds / 10)) * 1000;
}

/** Hashed, so the cache holds no password, and a new password is a new key. */
export function tokenKey(registry: string, scope: string, username: string | undefined, password: string): string {
  return createHash('sha256')
    .update([registry, scope, username ?? '', password].join('\0'))
    .digest('hex');
}

export class TokenCache {
  private readonly tokens = new Map<string, { token: string; until: number }>();
  /** the challenge each registry sent: later scopes are asked for without a 401 first */
  private readonly realms = new Map<string, BearerChallenge>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): string | undefined {
    const t = this.tokens.get(key);
    if (t && t.until > this.now()) return t.token;
    this.tokens.delete(key);
    return undefined;
  }

  set(key: string, token: string, expiresIn: unknown): void {
    const now = this.now();
    for (const [k, t] of this.tokens) if (t.until <= now) this.tokens.delete(k);
    const ms = keepMs(expiresIn);
    if (ms > 0) this.tokens.set(key, { token, until: now + ms });
  }

  drop(key: string): void {
    this.tokens.delete(key);
  }

  realmOf(registry: string): BearerChallenge | undefined {
    return this.realms.get(registry);
  }

  rememberRealm(registry: string, c: BearerChallenge): void {
    this.realms.set(registry, { realm: c.realm, service: c.service });
  }
}

/** The process's tokens. */
export const tokenCache = new TokenCache();
