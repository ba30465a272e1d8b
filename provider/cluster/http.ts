// One HTTP exchange with the API server, with its failures turned into messages a person can
// act on. client-node supplies the credentials (applyToHTTPSOptions: token, client certificate,
// exec plugin, CA); the request itself is plain node:https so bodies stay untyped JSON.
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiError, ClusterError, UnreachableError } from './errors';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: Method;
  /** /api/... or /apis/..., appended to the server URL (which may carry a path prefix) */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** default application/json */
  contentType?: string;
  /** what the request is about, for messages: "Deployment/flux-system/source-controller" */
  what?: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export type Send = (req: HttpRequest) => Promise<RawResponse>;

/** A long-lived GET (a watch): each line of the body is handed over as it arrives; resolves
 *  when the server ends the response or `signal` aborts it. An error status resolves with the
 *  body as text, like Send. */
export type Stream = (req: HttpRequest, onLine: (line: string) => void, signal: AbortSignal) => Promise<RawResponse>;

const NETWORK_REMEDIES: Record<string, string> = {
  ECONNREFUSED: 'check that the cluster is running and that the kubeconfig/host points at its API server (address and port)',
  ENOTFOUND: 'check the host name of the API server in the kubeconfig/host, and DNS',
  EAI_AGAIN: 'check DNS resolution of the API server host, then retry',
  ETIMEDOUT: 'check network access to the API server (firewall, VPN, private endpoint), then retry',
  EHOSTUNREACH: 'check network access to the API server (routing, VPN, private endpoint)',
  ENETUNREACH: 'check network access to the API server (routing, VPN, private endpoint)',
  ECONNRESET: 'the connection was reset; check proxies and load balancers in front of the API server, then retry',
};

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO|ALTNAME/;

/** A failure below HTTP (no answer at all) as a ClusterError that names the server. */
export function networkError(server: string, err: unknown): UnreachableError {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? 'EUNKNOWN';
  const detail = e?.message ?? String(err);
  if (TLS_CODES.test(code)) {
    return new UnreachableError(
      `cannot verify the TLS certificate of the Kubernetes API at ${server}: ${detail}`,
      'give the CA that signed the API server certificate (caPem, or certificate-authority-data in the kubeconfig); set tlsServerName if the certificate names another host',
      { code, cause: err, tls: true },
    );
  }
  return new UnreachableError(
    `cannot reach the Kubernetes API at ${server}: ${detail}`,
    NETWORK_REMEDIES[code] ?? 'check that the cluster is running and reachable from here, then retry',
    { code, cause: err },
  );
}

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  details?: unknown;
}

function parseStatus(text: string): StatusBody {
  try {
    const body = JSON.parse(text) as StatusBody;
    if (body && typeof body === 'object') return body;
  } catch {
    /* not JSON: proxies and load balancers answer with HTML */
  }
  return { message: text.trim().slice(0, 300) };
}

/** An HTTP error status as an ApiError whose remedy fits the status. */
export function apiError(server: string, req: HttpRequest, res: RawResponse): ApiError {
  const status = parseStatus(res.text);
  const what = req.what ?? `${req.method} ${req.path}`;
  const message = status.message || `HTTP ${res.status}`;
  const remedy = (() => {
    switch (res.status) {
      case 401:
        return 'the credentials were rejected: renew the token, client certificate or exec plugin login of the kubeconfig user';
      case 403:
        return 'grant the user RBAC permissions for this (installing Flux needs cluster-admin)';
      case 404:
        return 'the object or its API does not exist; check names, namespace and that the CRD is installed';
      case 409:
        return 'another writer changed the object at the same time; run again';
      case 422:
        return 'the object is invalid for this cluster; correct the fields named above (or the Kubernetes version is too old for this Flux release)';
      case 429:
        return 'the API server is throttling requests; retry later or lower the concurrency';
      default:
        return res.status >= 500
          ? 'the API server (or an admission webhook) failed; check its health and retry'
          : 'check the request above';
    }
  })();
  return new ApiError(res.status, status.reason, `${what}: ${message} (HTTP ${res.status} from ${server})`, remedy, status.details);
}

function buildUrl(server: string, req: HttpRequest): URL {
  const url = new URL(server.replace(/\/+$/, '') + req.path);
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/**
 * A sender bound to one kubeconfig context. Credentials are re-applied per request (exec plugins
 * refresh expiring tokens); the TLS agent is kept alive across requests unless a proxy is set.
 */
export function createSend(kc: KubeConfig, server: string, timeoutMs: number): { send: Send; stream: Stream; close: () => void } {
  const agents = new Map<string, http.Agent>();
  const isHttps = server.startsWith('https:');

  function agentFor(opts: https.RequestOptions): http.Agent | undefined {
    if (kc.getCurrentCluster()?.proxyUrl) return opts.agent as http.Agent | undefined;
    // Key by the TLS material so an exec plugin that rotates client certificates gets a new agent.
    const key = [opts.ca, opts.cert, opts.key, opts.rejectUnauthorized, opts.servername].map(String).join('\u0000');
    let agent = agents.get(key);
    if (!agent) {
      agent = isHttps
        ? new https.Agent({
            ca: opts.ca,
            cert: opts.cert,
            key: opts.key,
            rejectUnauthorized: opts.rejectUnauthorized,
            servername: opts.servername,
            keepAlive: true,
            maxSockets: 16,
          })
        : new http.Agent({ keepAlive: true, maxSockets: 16 });
      agents.set(key, agent);
    }
    return agent;
  }

  async function prepare(
    req: HttpRequest,
  ): Promise<{ url: URL; body?: Buffer; headers: http.OutgoingHttpHeaders; options: https.RequestOptions }> {
    const opts: https.RequestOptions = { headers: {} };
    try {
      await kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new ClusterError(
        `cannot get credentials for the Kubernetes API at ${server}: ${(err as Error)?.message ?? err}`,
        'check the kubeconfig user: certificate/key files must exist, and an exec plugin must be installed, on PATH and logged in',
        { cause: err },
      );
    }
    const url = buildUrl(server, req);
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body), 'utf8');
    const headers: http.OutgoingHttpHeaders = {
      ...(opts.headers as http.OutgoingHttpHeaders),
      Accept: 'application/json',
      'User-Agent': 'flux-bootstrap',
    };
    if (body) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = body.length;
    }
    return { url, body, headers, options: opts };
  }

  async function send(req: HttpRequest): Promise<RawResponse> {
    const { url, body, headers, options: opts } = await prepare(req);
    const lib = isHttps ? https : http;
    return new Promise<RawResponse>((resolve, reject) => {
      const r = lib.request(url, { method: req.method, headers, agent: agentFor(opts), auth: opts.auth }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(networkError(server, err)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      });
      r.setTimeout(timeoutMs, () => {
        const err = Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)}s`), { code: 'ETIMEDOUT' });
        r.destroy(err);
      });
      r.on('error', (err) => reject(networkError(server, err)));
      r.end(body);
    });
  }

  async function stream(req: HttpRequest, onLine: (line: string) => void, signal: AbortSignal): Promise<RawResponse> {
    const { url, headers, options: opts } = await prepare(req);
    const lib = isHttps ? https : http;
    return new Promise<RawResponse>((resolve, reject) => {
      if (signal.aborted) {
        resolve({ status: 0, headers: {}, text: '' });
        return;
      }
      let status = 0;
      let resHeaders: http.IncomingHttpHeaders = {};
      let text = '';
      const r = lib.request(url, { method: 'GET', headers, agent: agentFor(opts), auth: opts.auth }, (res) => {
        status = res.statusCode ?? 0;
        resHeaders = res.headers;
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (status >= 400) {
            text += chunk;
            return;
          }
          pending += chunk;
          let nl: number;
          while ((nl = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, nl).trim();
            pending = pending.slice(nl + 1);
            if (line) onLine(line);
          }
        });
        res.on('error', () => resolve({ status, headers: resHeaders, text }));
        res.on('end', () => resolve({ status, headers: resHeaders, text }));
      });
      const abort = () => {
        r.destroy();
        resolve({ status, headers: resHeaders, text });
      };
      signal.addEventListener('abort', abort, { once: true });
      // no answer at all within the request timeout is a failure; a quiet watch is not
      r.setTimeout(timeoutMs, () => {
        if (status === 0) r.destroy(Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)}s`), { code: 'ETIMEDOUT' }));
      });
      r.on('error', (err) => {
        signal.removeEventListener('abort', abort);
        if (signal.aborted) resolve({ status, headers: resHeaders, text });
        else reject(networkError(server, err));
      });
      r.on('close', () => signal.removeEventListener('abort', abort));
      r.end();
    });
  }

  return {
    send,
    stream,
    close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}
