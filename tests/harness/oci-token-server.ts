// The process behind the token realm of service `oci-registry-token` (oci-registry-token.ts):
// an HTTPS server answering `GET /token?service=...&scope=...` as Docker Hub's or GHCR's auth
// endpoint does: Basic credentials or none (anonymous), a signed token for what they may do
// (oci-token-grants.ts, oci-token-jwt.ts), 401 for bad credentials. It logs one JSON line per
// request to `requestLog` (who, the scopes asked and granted, the user agent): never a
// password or a token. Usage: node oci-token-server.js <config.json>
import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { authenticate, grant, parseScope, type GrantPolicy, type ResourceActions } from './oci-token-grants';
import { signRegistryToken } from './oci-token-jwt';

export interface TokenServerConfig {
  port: number;
  tls: { cert: string; key: string };
  signing: { cert: string; key: string };
  issuer: string;
  service: string;
  lifetimeSeconds: number;
  policy: GrantPolicy;
  requestLog: string;
}

/** One line of the request log. */
export interface TokenRequest {
  at: string;
  /** the user, "(anonymous)", or "(refused)" for bad credentials */
  user: string;
  asked: string[];
  granted: string[];
  status: number;
  userAgent: string;
}

const asScope = (r: ResourceActions) => `${r.type}:${r.name}:${r.actions.join(',')}`;

function main(configFile: string): void {
  const cfg = JSON.parse(fs.readFileSync(configFile, 'utf8')) as TokenServerConfig;
  const key = createPrivateKey(fs.readFileSync(cfg.signing.key));
  const certDer = new X509Certificate(fs.readFileSync(cfg.signing.cert)).raw;
  const record = (r: Omit<TokenRequest, 'at'>) =>
    fs.appendFileSync(cfg.requestLog, JSON.stringify({ at: new Date().toISOString(), ...r }) + '\n');
  const server = https.createServer({ cert: fs.readFileSync(cfg.tls.cert), key: fs.readFileSync(cfg.tls.key) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://token.invalid');
    const userAgent = String(req.headers['user-agent'] ?? '');
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || url.pathname !== '/token') {
      reply(404, { errors: [{ code: 'NOT_FOUND', message: `no ${req.method} ${url.pathname} here (GET /token)` }] });
      return;
    }
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean));
    const user = authenticate(cfg.policy, req.headers.authorization);
    if (user === 'refused') {
      record({ user: '(refused)', asked: scopes, granted: [], status: 401, userAgent });
      reply(
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or password' }] },
        { 'www-authenticate': 'Basic realm="token"' },
      );
      return;
    }
    if (url.searchParams.get('service') !== cfg.service) {
      record({ user: user?.username ?? '(anonymous)', asked: scopes, granted: [], status: 400, userAgent });
      reply(400, { errors: [{ code: 'UNSUPPORTED', message: `unknown service; this server issues tokens for "${cfg.service}"` }] });
      return;
    }
    const access = grant(
      cfg.policy,
      user,
      scopes.map(parseScope).filter((s): s is ResourceActions => s !== null),
    );
    const now = Math.floor(Date.now() / 1000);
    const token = signRegistryToken(
      key,
      certDer,
      { issuer: cfg.issuer, service: cfg.service, subject: user?.username ?? '', access, lifetimeSeconds: cfg.lifetimeSeconds },
      now,
    );
    record({ user: user?.username ?? '(anonymous)', asked: scopes, granted: access.map(asScope), status: 200, userAgent });
    reply(200, { token, access_token: token, expires_in: cfg.lifetimeSeconds, issued_at: new Date(now * 1000).toISOString() });
  });
  server.listen(cfg.port, '127.0.0.1', () => process.stdout.write(`token server on https://127.0.0.1:${cfg.port}/token\n`));
}

if (require.main === module) {
  if (!process.argv[2]) {
    process.stderr.write('usage: oci-token-server <config.json>\n');
    process.exit(2);
  }
  main(process.argv[2]);
}
