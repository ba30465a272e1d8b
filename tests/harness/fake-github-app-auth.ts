// The GitHub App side of the fake GitHub (service `github-app`): the App's JWTs are verified
// the way GitHub does (RS256 signature by one of the App's registered keys, issuer = App ID,
// iat in the past, exp in the future and at most ten minutes after iat), installation tokens
// are issued for one hour and become read-write tokens of the git-http server, so the same
// token clones and pushes over HTTPS. The clock can be shifted (clock-skew tests) and keys
// added or revoked (rotation tests) through /_harness/app.
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type * as http from 'node:http';
import { addCredential, removeCredential } from './git-http';
import type { FakeResponse, Handler } from './fake-api';
import { basicError, simpleUser } from './fake-github-objects';

export interface FakeAppConfig {
  appId: number;
  slug: string;
  /** PEM public keys the App accepts (GitHub allows several, for rotation) */
  publicKeys: string[];
  /** installation id -> the account it is installed on */
  installations: Record<string, { account: string; type: 'User' | 'Organization' }>;
  /** where issued tokens are registered (git-http's credentials.json) */
  gitHttp: { stateDir: string };
}

export const APP_OPERATIONS = ['GET /app/installations/{installation_id}', 'POST /app/installations/{installation_id}/access_tokens'];

interface Issued {
  token: string;
  installationId: string;
  expiresAt: number;
}

export class FakeAppAuth {
  private keys: KeyObject[];
  private readonly issued: Issued[] = [];
  /** seconds added to this fake's clock */
  private skew = 0;
  /** how long issued tokens live (GitHub: one hour) */
  private tokenLifetime = 3600;

  constructor(private readonly cfg: FakeAppConfig) {
    this.keys = cfg.publicKeys.map((k) => createPublicKey(k));
  }

  now(): number {
    return Math.floor(Date.now() / 1000) + this.skew;
  }
  /** GitHub's Date header, from this fake's clock: auth-app corrects its JWT times from it */
  dateHeader(): string {
    return new Date(this.now() * 1000).toUTCString();
  }

  /** undefined when the JWT is good, else GitHub's 401 message */
  jwtProblem(authorization: string | undefined): string | undefined {
    const m = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return 'A JSON web token could not be decoded';
    const parts = m[1].split('.');
    if (parts.length !== 3) return 'A JSON web token could not be decoded';
    let header: { alg?: string };
    let claims: { iss?: unknown; iat?: unknown; exp?: unknown };
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return 'A JSON web token could not be decoded';
    }
    if (header.alg !== 'RS256') return 'A JSON web token could not be decoded';
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2], 'base64url');
    if (!this.keys.some((k) => verify('sha256', signed, k, signature))) return 'A JSON web token could not be decoded';
    if (String(claims.iss) !== String(this.cfg.appId)) return "'Issuer' claim ('iss') must be an Integer";
    const now = this.now();
    if (typeof claims.iat !== 'number' || claims.iat > now + 1)
      return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
    if (typeof claims.exp !== 'number' || claims.exp <= now)
      return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
    if (claims.exp - claims.iat > 600 || claims.exp > now + 660) return "'Expiration time' claim ('exp') is too far in the future";
    return undefined;
  }

  /** An installation token (not expired) in `token X` or `Bearer X` form. */
  installationOf(authorization: string | undefined): Issued | undefined {
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? '');
    return m ? this.issued.find((t) => t.token === m[1] && t.expiresAt > this.now()) : undefined;
  }

  handlers(api: string, web: string): Record<string, Handler> {
    const missing: FakeResponse = { status: 404, body: basicError('Not Found', 404) };
    return {
      'GET /app/installations/{installation_id}': (q) => {
        const id = q.pathParams.installation_id;
        const inst = this.cfg.installations[id];
        return inst ? { status: 200, body: this.installationJson(api, web, id, inst) } : missing;
      },
      'POST /app/installations/{installation_id}/access_tokens': (q) => {
        const id = q.pathParams.installation_id;
        if (!this.cfg.installations[id]) return missing;
        const token = `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
        const expiresAt = this.now() + this.tokenLifetime;
        this.issued.push({ token, installationId: id, expiresAt });
        addCredential(this.cfg.gitHttp, { username: 'x-access-token', token, access: 'rw' });
        return {
          status: 201,
          body: {
            token,
            expires_at: new Date(expiresAt * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
            permissions: { contents: 'write', administration: 'write', metadata: 'read' },
            repository_selection: 'all',
          },
        };
      },
    };
  }

  /** /_harness/app: {skewSeconds} shifts the clock; {tokenLifetimeSeconds} shortens tokens; {addKey: pem} / {revokeKey: pem} change the App's keys;
   *  {expireTokens: true} revokes every issued token. GET lists counts, never tokens. */
  control(method: string, body: unknown): FakeResponse {
    if (method === 'GET') return { status: 200, body: { keys: this.keys.length, tokensIssued: this.issued.length, skew: this.skew } };
    const b = (body ?? {}) as {
      skewSeconds?: number;
      tokenLifetimeSeconds?: number;
      addKey?: string;
      revokeKey?: string;
      expireTokens?: boolean;
    };
    if (typeof b.skewSeconds === 'number') this.skew = b.skewSeconds;
    if (typeof b.tokenLifetimeSeconds === 'number') this.tokenLifetime = b.tokenLifetimeSeconds;
    if (b.addKey) this.keys.push(createPublicKey(b.addKey));
    if (b.revokeKey) {
      const gone = createPublicKey(b.revokeKey).export({ type: 'spki', format: 'pem' });
      this.keys = this.keys.filter((k) => k.export({ type: 'spki', format: 'pem' }) !== gone);
    }
    if (b.expireTokens) {
      for (const t of this.issued) {
        t.expiresAt = 0;
        removeCredential(this.cfg.gitHttp, { token: t.token });
      }
    }
    return { status: 204 };
  }

  private installationJson(api: string, web: string, id: string, inst: FakeAppConfig['installations'][string]): Record<string, unknown> {
    const created = new Date(0).toISOString().replace(/\.\d+Z$/, 'Z');
    return {
      id: Number(id),
      account: simpleUser(api, web, inst.account, 2, inst.type),
      repository_selection: 'all',
      access_tokens_url: `${api}/app/installations/${id}/access_tokens`,
      repositories_url: `${api}/installation/repositories`,
      html_url: `${web}/organizations/${inst.account}/settings/installations/${id}`,
      app_id: this.cfg.appId,
      target_id: 2,
      target_type: inst.type,
      permissions: { contents: 'write', administration: 'write', metadata: 'read' },
      events: [],
      created_at: created,
      updated_at: created,
      single_file_name: null,
      app_slug: this.cfg.slug,
      suspended_by: null,
      suspended_at: null,
    };
  }
}

/** Which credential an API request needs: the App's JWT on /app routes, an installation token elsewhere. */
export function appAuthenticates(app: FakeAppAuth, headers: http.IncomingHttpHeaders, operation: string): boolean {
  return APP_OPERATIONS.includes(operation)
    ? app.jwtProblem(headers.authorization) === undefined
    : app.installationOf(headers.authorization) !== undefined;
}
