// The HTTP scaffolding the fake Git host APIs share (fake-github, fake-gitlab): routing to the
// implemented operations only, authentication, and an OpenAPI check of every request and
// every response. A request or response that does not match the description is answered
// with 500 and the details, and recorded as a violation; tests assert there are none
// (see fake-api-client.ts), so a client bug or a fake bug fails the test that caused it.
//
// Control endpoints under /_harness/ (no auth) let tests read violations and requests and
// inject failures (rate limits, 5xx) for the next matching requests.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Matched, OpenApiCheck } from './openapi-check';

export interface FakeRequest {
  method: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface Fault {
  method?: string;
  /** regular expression matched against the path after the API prefix */
  path: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** how many matching requests get the fault (default 1) */
  times?: number;
}

export interface Violation {
  at: string;
  method: string;
  path: string;
  problems: string[];
}
export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

export interface FakeApiOptions {
  name: string;
  /** the API's path prefix: /api/v3 (GitHub Enterprise form), /api/v4 (GitLab) */
  prefix: string;
  check: OpenApiCheck;
  /** "METHOD /template" -> handler; every key must be an operation the check knows */
  handlers: Record<string, Handler>;
  /** the operation is "METHOD /template"; a response instead of false answers with it (its own 401) */
  authenticate: (headers: http.IncomingHttpHeaders, operation: string) => boolean | FakeResponse;
  unauthorized: FakeResponse;
  /** schema every undocumented error response must match (the API's error shape) */
  errorSchema: unknown;
  /** request lines go here: method, path, status; never headers */
  logFile: string;
  /** headers on every API response (rate limit headers, ...) */
  commonHeaders?: () => Record<string, string>;
  /** serve HTTPS with this key and certificate (PEM file paths) instead of HTTP */
  tls?: { key: string; cert: string };
  /** requests outside the API prefix and /_harness/ (git smart HTTP): handled here when it returns true */
  passthrough?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** further /_harness/ control endpoints */
  control?: (method: string, path: string, body: unknown) => FakeResponse | undefined;
}

export function startFakeApi(opts: FakeApiOptions, port: number): Promise<http.Server> {
  const violations: Violation[] = [];
  const requests: RequestRecord[] = [];
  let faults: Fault[] = [];
  const log = (line: string) => fs.appendFileSync(opts.logFile, `${new Date().toISOString()} ${line}\n`);

  const send = (res: http.ServerResponse, r: FakeResponse) => {
    const body = r.body === undefined ? '' : JSON.stringify(r.body);
    res.writeHead(r.status, {
      ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...(opts.commonHeaders?.() ?? {}),
      ...r.headers,
    });
    res.end(body);
  };

  const control = (req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown) => {
    if (path === '/_harness/violations' && req.method === 'GET') return send(res, { status: 200, body: violations });
    if (path === '/_harness/violations' && req.method === 'DELETE') {
      violations.length = 0;
      return send(res, { status: 204 });
    }
    if (path === '/_harness/requests' && req.method === 'GET') return send(res, { status: 200, body: requests });
    if (path === '/_harness/faults' && req.method === 'POST') {
      faults = [...faults, ...((body as Fault[]) ?? [])];
      return send(res, { status: 204 });
    }
    if (path === '/_harness/faults' && req.method === 'DELETE') {
      faults = [];
      return send(res, { status: 204 });
    }
    const extra = opts.control?.(req.method ?? 'GET', path, body);
    if (extra) return send(res, extra);
    return send(res, { status: 404, body: { message: `no control endpoint ${req.method} ${path}` } });
  };

  const violation = (method: string, path: string, problems: string[]): FakeResponse => {
    violations.push({ at: new Date().toISOString(), method, path, problems });
    log(`VIOLATION ${method} ${path}: ${problems.join(' | ')}`);
    return { status: 500, body: { message: `${opts.name}: does not match the API description: ${problems.join('; ')}`, problems } };
  };

  const handle = async (req: http.IncomingMessage, raw: string): Promise<FakeResponse> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!url.pathname.startsWith(`${opts.prefix}/`)) return violation(method, url.pathname, [`outside the API prefix ${opts.prefix}`]);
    const rawPath = url.pathname.slice(opts.prefix.length);
    const m: Matched | null = opts.check.match(method, rawPath);
    if (!m)
      return violation(method, rawPath, [`${method} ${rawPath} is not an operation ${opts.name} implements (or not in the description)`]);
    const pair = `${m.op.method} ${m.op.template}`;
    const fault = faults.find((f) => (!f.method || f.method.toUpperCase() === method) && new RegExp(f.path).test(rawPath));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults = faults.filter((f) => f !== fault);
      return { status: fault.status, body: fault.body, headers: fault.headers };
    }
    const authenticated = opts.authenticate(req.headers, pair);
    if (authenticated !== true) return checked(m, rawPath, authenticated === false ? opts.unauthorized : authenticated);
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        return violation(method, rawPath, [`${pair}: the body is not JSON: ${raw.slice(0, 80)}`]);
      }
      // Go clients encode a nil options pointer as `null` (ghinstallation's token request): GitHub
      // reads it as no body, and so does the description's optional requestBody
      if (body === null) body = undefined;
    }
    const problems = opts.check.checkRequest(m, url.searchParams, body, req.headers['content-type']);
    if (problems.length) return violation(method, rawPath, problems);
    const handler = opts.handlers[pair];
    if (!handler) return violation(method, rawPath, [`${pair}: no handler in ${opts.name}`]);
    return checked(m, rawPath, await handler({ method, pathParams: m.pathParams, query: url.searchParams, body, headers: req.headers }));
  };

  const checked = (m: Matched, rawPath: string, r: FakeResponse): FakeResponse => {
    const problems = opts.check.checkResponse(m, r.status, r.body, opts.errorSchema);
    return problems.length
      ? violation(
          m.op.method,
          rawPath,
          problems.map((p) => `fake's own response: ${p}`),
        )
      : r;
  };

  const server = opts.tls
    ? https.createServer({ key: fs.readFileSync(opts.tls.key), cert: fs.readFileSync(opts.tls.cert) })
    : http.createServer();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const first = new URL(req.url ?? '/', 'http://fake').pathname;
    if (!first.startsWith(`${opts.prefix}/`) && !first.startsWith('/_harness/') && opts.passthrough?.(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (path.startsWith('/_harness/')) {
        let body: unknown;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          body = undefined;
        }
        return control(req, res, path, body);
      }
      handle(req, raw).then(
        (r) => {
          requests.push({ method: req.method ?? '', path, status: r.status });
          log(`${req.method} ${path} ${r.status}`);
          send(res, r);
        },
        (e: Error) => send(res, violation(req.method ?? '', path, [`${opts.name} crashed: ${e.stack ?? e.message}`])),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server)); // https.Server: the same close/address API
  });
}
