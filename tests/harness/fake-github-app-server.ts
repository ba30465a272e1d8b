// The fake GitHub Enterprise of service `github-app` (started by fake-github-app.ts): the same
// OpenAPI-checked REST API as fake-github, plus the App endpoints, over HTTPS with the git-http
// service's certificate (its CA is what Flux gets as ca.crt). API calls authenticate as the App
// (JWT) or as an installation (token); there is no personal token. Git smart-HTTP requests
// (/<owner>/<repo>.git/...) are relayed to the git-http server, which accepts the issued
// installation tokens, so like on GitHub one host serves the API and git.
//
// `node fake-github-app-server.js <config.json>`
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as https from 'node:https';
import { startFakeApi } from './fake-api';
import { appAuthenticates, APP_OPERATIONS, FakeAppAuth, type FakeAppConfig } from './fake-github-app-auth';
import { basicError } from './fake-github-objects';
import { GITHUB_OPERATIONS, makeGitHubHandlers, type FakeGitHubConfig } from './fake-github-server';
import { OpenApiCheck } from './openapi-check';

export interface FakeGitHubAppConfig extends FakeGitHubConfig {
  app: FakeAppConfig;
  tls: { key: string; cert: string };
  /** git-http's https URL and the CA that signed its certificate */
  gitHttps: { url: string; caFile: string };
}

/** Relays one git smart-HTTP exchange to git-http, headers (Authorization included) as they came. */
function relayGit(target: { url: string; caFile: string }, log: (line: string) => void) {
  const ca = fs.readFileSync(target.caFile);
  const base = new URL(target.url);
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const upstream = https.request(
      {
        host: base.hostname,
        port: base.port,
        path: req.url,
        method: req.method,
        ca,
        headers: { ...req.headers, host: base.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      log(`git relay ${req.method} ${req.url}: ${e.message}`);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
    log(`GIT ${req.method} ${new URL(req.url ?? '/', 'https://fake').pathname}`);
    return true;
  };
}

export function startFakeGitHubApp(cfg: FakeGitHubAppConfig): Promise<http.Server> {
  const doc = require('@octokit/openapi/generated/api.github.com.json') as Record<string, unknown>;
  const check = new OpenApiCheck(doc, [...GITHUB_OPERATIONS, ...APP_OPERATIONS]);
  const app = new FakeAppAuth(cfg.app);
  const web = `https://127.0.0.1:${cfg.port}`;
  const log = (line: string) => fs.appendFileSync(cfg.logFile, `${new Date().toISOString()} ${line}\n`);
  return startFakeApi(
    {
      name: 'fake-github-app',
      prefix: '/api/v3',
      check,
      handlers: { ...makeGitHubHandlers(cfg), ...app.handlers(`${web}/api/v3`, web) },
      authenticate: (h, operation) => {
        if (appAuthenticates(app, h, operation)) return true;
        const problem = APP_OPERATIONS.includes(operation) ? app.jwtProblem(h.authorization) : 'Bad credentials';
        return { status: 401, body: basicError(problem ?? 'Bad credentials', 401) };
      },
      unauthorized: { status: 401, body: basicError('Bad credentials', 401) },
      errorSchema: { $ref: '#/components/schemas/basic-error' },
      logFile: cfg.logFile,
      tls: cfg.tls,
      passthrough: relayGit(cfg.gitHttps, log),
      control: (method, path, body) => (path === '/_harness/app' ? app.control(method, body) : undefined),
      commonHeaders: () => ({
        date: app.dateHeader(),
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-reset': String(app.now() + 3600),
        'x-ratelimit-used': '1',
        'x-ratelimit-resource': 'core',
        'x-github-media-type': 'github.v3; format=json',
      }),
    },
    cfg.port,
  );
}

if (require.main === module) {
  const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as FakeGitHubAppConfig;
  startFakeGitHubApp(cfg).then(
    () => process.stdout.write(`fake-github-app listening on https://127.0.0.1:${cfg.port}\n`),
    (e: Error) => {
      process.stderr.write(`${e.stack}\n`);
      process.exit(1);
    },
  );
}
