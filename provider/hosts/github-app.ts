// Authenticating as a GitHub App installation instead of with a personal token. @octokit/auth-app
// signs the App's JWT (RS256), exchanges it for an installation token and caches that; here we
// add what a bootstrap needs around it: one installation lookup that proves the key, the App ID
// and the installation (and measures clock skew, which then corrects every later JWT), tokens for
// git that stay valid for the whole push, rewritten errors that name the input to fix, and a
// private CA for GitHub Enterprise.
import { createHash } from 'node:crypto';
import { InputError } from '../errors';
import { Secret } from '../secret';
import { fetchWithCa } from './ca-fetch';
import { failureOf, HostError, type Failure } from './host-error';

export interface GitHubAppAuth {
  appId: string | number;
  installationId: string | number;
  /** PEM; RSA */
  privateKey: string | Secret<string>;
  /** PEM of the CA of a GitHub Enterprise server with a private certificate */
  caPem?: string;
}

export interface AppInstallation {
  account: string;
  type: 'User' | 'Organization';
}

/** A token shorter-lived than this is replaced before a git operation uses it. */
const MIN_TOKEN_LIFE_MS = 5 * 60_000;
/** Skews below this are within the JWT's own 30 s margin. */
const SKEW_TOLERANCE_S = 20;

type AuthFn = ((o: { type: 'installation'; refresh?: boolean }) => Promise<{ token: string; expiresAt: string }>) & { hook: unknown };
type AuthApp = typeof import('@octokit/auth-app');

export class GitHubApp {
  readonly appId: string;
  readonly installationId: string;
  readonly privateKey: Secret<string>;
  readonly caPem: string | undefined;
  private timeDifference = 0;
  private looked: Promise<AppInstallation> | undefined;

  constructor(
    app: GitHubAppAuth,
    readonly apiUrl: string,
    readonly hostLabel: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.appId = String(app.appId);
    this.installationId = String(app.installationId);
    this.privateKey = Secret.is(app.privateKey) ? app.privateKey : new Secret(String(app.privateKey));
    this.caPem = app.caPem;
  }

  /** Octokit options that make every call an installation call (JWT on /app routes). */
  octokitOptions(): Record<string, unknown> {
    const { createAppAuth } = require('@octokit/auth-app') as AuthApp;
    return {
      authStrategy: createAppAuth,
      auth: {
        appId: this.appId,
        installationId: this.installationId,
        privateKey: this.privateKey.reveal(),
        timeDifference: this.timeDifference,
      },
      ...(this.caPem ? { request: { fetch: fetchWithCa(this.caPem) } } : {}),
    };
  }

  /** GET /app/installations/{id} once: proves key, App ID and installation; learns the clock skew. */
  installation(): Promise<AppInstallation> {
    this.looked ??= this.lookup().catch((e) => {
      this.looked = undefined;
      throw e;
    });
    return this.looked;
  }

  /** An installation token valid for at least five more minutes (for a clone or push). */
  async token(): Promise<{ token: Secret<string>; expiresAt: Date }> {
    await this.installation();
    const auth = this.auth();
    try {
      let t = await auth({ type: 'installation' });
      if (Date.parse(t.expiresAt) - Date.now() < MIN_TOKEN_LIFE_MS) t = await auth({ type: 'installation', refresh: true });
      return { token: new Secret(t.token), expiresAt: new Date(t.expiresAt) };
    } catch (e) {
      throw this.rewrite(failureOf(e, [this.privateKey]), `create an installation token for installation ${this.installationId}`);
    }
  }

  private async lookup(): Promise<AppInstallation> {
    const req = this.request();
    const { createAppAuth } = require('@octokit/auth-app') as AuthApp;
    const warn = (m: string) => {
      // auth-app retried one JWT with the server's time; keep that difference for every later JWT
      const d = /different by (-?\d+) seconds/.exec(m);
      if (d) this.timeDifference = Number(d[1]);
    };
    const auth = createAppAuth({ appId: this.appId, privateKey: this.privateKey.reveal(), request: req, log: { warn } }) as unknown as {
      hook: (
        r: unknown,
        route: string,
        p: unknown,
      ) => Promise<{ data: { account?: { login?: string; type?: string } | null }; headers: Record<string, string | undefined> }>;
    };
    try {
      const res = await auth.hook(req, 'GET /app/installations/{installation_id}', { installation_id: Number(this.installationId) });
      const serverTime = Date.parse(res.headers.date ?? '');
      const skew = Number.isNaN(serverTime) ? 0 : Math.round((serverTime - Date.now()) / 1000);
      if (Math.abs(skew) > SKEW_TOLERANCE_S) {
        this.timeDifference = skew;
        this.log(`${this.hostLabel}: this machine's clock is ${skew} s off the server's; App JWTs are dated by the server's clock`);
      }
      const account = res.data.account ?? {};
      return { account: String(account.login ?? ''), type: account.type === 'User' ? 'User' : 'Organization' };
    } catch (e) {
      throw this.rewrite(failureOf(e, [this.privateKey]), `look up installation ${this.installationId} of App ${this.appId}`);
    }
  }

  private authFn: AuthFn | undefined;
  private authDifference = 0;
  private auth(): AuthFn {
    if (!this.authFn || this.authDifference !== this.timeDifference) {
      const { createAppAuth } = require('@octokit/auth-app') as AuthApp;
      this.authFn = createAppAuth({
        appId: this.appId,
        installationId: this.installationId,
        privateKey: this.privateKey.reveal(),
        request: this.request(),
        timeDifference: this.timeDifference,
      });
      this.authDifference = this.timeDifference;
    }
    return this.authFn;
  }

  /** Octokit's request, unauthenticated, against this API (and its CA) */
  private request() {
    const { Octokit } = require('@octokit/rest') as typeof import('@octokit/rest');
    return new Octokit({
      baseUrl: this.apiUrl,
      userAgent: 'flux-bootstrap',
      ...(this.caPem ? { request: { fetch: fetchWithCa(this.caPem) } } : {}),
    }).request;
  }

  /** A failure of a JWT-authenticated call, as the input the user has to fix. */
  rewrite(f: Failure, operation: string): Error {
    const said = `${f.status ?? f.code ?? ''} ${f.message}`.trim();
    if (f.status === 401 && /iat|exp|Expiration|Issued at/.test(f.message)) {
      return new InputError({
        field: 'auth',
        value: `App ${this.appId}`,
        reason: `${this.hostLabel} refused the App's JWT as expired or not yet valid (${said}): this machine's clock and the server's differ`,
        remedy: "synchronize this machine's clock (NTP) and run again",
      });
    }
    if (f.status === 401 && /iss|Issuer|Integration not found/i.test(f.message)) {
      return new InputError({
        field: 'auth.appId',
        value: this.appId,
        reason: `is not an App on ${this.hostLabel} (${said})`,
        remedy: 'copy "App ID" from the App\'s settings page (not the Client ID)',
      });
    }
    if (f.status === 401) {
      return new InputError({
        field: 'auth.privateKey',
        value: this.privateKey,
        reason: `was refused by ${this.hostLabel}: it is not a current key of App ${this.appId} (${said})`,
        remedy:
          'pass a private key generated on that App\'s settings page ("Private keys"), and check appId; a revoked key stops working at once',
      });
    }
    if (f.status === 404) {
      return new InputError({
        field: 'auth.installationId',
        value: this.installationId,
        reason: `is not an installation of App ${this.appId} on ${this.hostLabel} (404)`,
        remedy: "install the App on the repository's owner and copy the number at the end of the installation's settings URL",
      });
    }
    if (f.status === 403 || f.status === 422) {
      return new InputError({
        field: 'auth.installationId',
        value: this.installationId,
        reason: `cannot issue tokens on ${this.hostLabel} (${said}); the installation may be suspended`,
        remedy: 'unsuspend the installation, or grant the App Contents and Administration read/write',
      });
    }
    return new HostError({
      host: this.hostLabel,
      operation,
      status: f.status,
      reason: f.status === undefined ? `no response (${f.code ?? f.message})` : `unexpected answer (${said})`,
      remedy:
        f.status === undefined
          ? `check apiUrl and that this machine can reach ${this.hostLabel}${this.caPem ? '' : ' (a private CA goes in auth.caPem)'}`
          : 'run again later',
    });
  }
}

const apps = new Map<string, GitHubApp>();

/** One GitHubApp per App, installation, key and API URL in this process, so resources share tokens. */
export function githubApp(app: GitHubAppAuth, apiUrl: string, hostLabel: string, log?: (line: string) => void): GitHubApp {
  const key = createHash('sha256')
    .update([app.appId, app.installationId, apiUrl, Secret.unwrap(app.privateKey), app.caPem ?? ''].join('\0'))
    .digest('hex');
  let found = apps.get(key);
  if (!found) {
    found = new GitHubApp(app, apiUrl, hostLabel, log);
    apps.set(key, found);
  }
  return found;
}
