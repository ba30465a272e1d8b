// connect(spec): a handle on one cluster. It holds credentials in a closure (never in a field,
// never printed) and offers JSON requests with retries of transient failures.
import { inspect } from 'node:util';
import { Secret } from '../secret';
import { clientNode } from './client-node';
import { connectionKind, inlineKubeConfig, type ConnectionSpec } from './connection-spec';
import { Discovery } from './discovery';
import { ClusterError, statusOf } from './errors';
import { apiError, createSend, type HttpRequest, type RawResponse, type Send, type Stream } from './http';

export interface ConnectOptions {
  /** GET /version now, so a wrong address or credential fails here and not midway. Default true. */
  verify?: boolean;
  /** per request; default 30 s */
  requestTimeoutMs?: number;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
// Not ETIMEDOUT: a black-holed address would cost three full timeouts.
const RETRY_CODES = new Set(['ECONNRESET', 'EPIPE']);
const ATTEMPTS = 3;

export class Connection {
  readonly server: string;
  readonly context: string | undefined;
  readonly discovery: Discovery;
  /** gitVersion from /version when connect verified the connection */
  serverVersion: string | undefined;
  readonly close: () => void;
  private readonly send: Send;

  private readonly stream?: Stream;

  constructor(server: string, context: string | undefined, send: Send, close: () => void, stream?: Stream) {
    this.server = server;
    this.context = context;
    this.send = send;
    this.close = close;
    this.stream = stream;
    this.discovery = new Discovery((path) => this.request({ method: 'GET', path }));
  }

  /** JSON request; throws ApiError on an error status and ClusterError when there is no answer. */
  async request<T = unknown>(req: HttpRequest): Promise<T> {
    let res: RawResponse | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await this.send(req);
      } catch (err) {
        const code = (err as ClusterError)?.code;
        if (attempt < ATTEMPTS && code && RETRY_CODES.has(code)) {
          await delay(200 * 2 ** attempt);
          continue;
        }
        throw err;
      }
      if (attempt < ATTEMPTS && RETRY_STATUSES.has(res.status)) {
        const after = Number(res.headers['retry-after']);
        await delay(Number.isFinite(after) && after > 0 ? Math.min(after, 5) * 1000 : 200 * 2 ** attempt);
        continue;
      }
      break;
    }
    if (res.status >= 400) throw apiError(this.server, req, res);
    return (res.text ? JSON.parse(res.text) : undefined) as T;
  }

  /** A streaming GET (a watch, see watch.ts); an error status throws ApiError. */
  async openStream(req: HttpRequest, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    if (!this.stream) throw new ClusterError('this connection cannot stream', 'connect with connect()');
    const res = await this.stream(req, onLine, signal);
    if (res.status >= 400) throw apiError(this.server, req, res);
  }

  /** GET that answers undefined for 404. */
  async getOrUndefined<T = unknown>(path: string, what?: string): Promise<T | undefined> {
    try {
      return await this.request<T>({ method: 'GET', path, what });
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  toString(): string {
    return `Connection(${this.server})`;
  }

  toJSON(): Record<string, unknown> {
    return { server: this.server, context: this.context };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function loadKubeConfig(spec: ConnectionSpec) {
  const kc = new (clientNode().KubeConfig)();
  const kind = connectionKind(spec);
  try {
    if (kind === 'kubeconfigPath') kc.loadFromFile(spec.kubeconfigPath as string);
    else if (kind === 'kubeconfig') kc.loadFromString(Secret.unwrap(spec.kubeconfig as string | Secret<string>));
    else kc.loadFromOptions(inlineKubeConfig(spec));
  } catch (err) {
    if (err instanceof ClusterError) throw err;
    // Parser messages may quote the content: do not repeat them for inline content.
    const where = kind === 'kubeconfigPath' ? `the kubeconfig file ${spec.kubeconfigPath}` : 'the kubeconfig content';
    const detail = kind === 'kubeconfigPath' ? `: ${(err as Error)?.message ?? err}` : '';
    throw new ClusterError(
      `cannot read ${where}${detail}`,
      'give a kubeconfig with clusters, users and contexts (as written by kubectl or a cloud CLI)',
    );
  }
  if (spec.context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(spec.context)) {
      throw new ClusterError(
        `the kubeconfig has no context ${JSON.stringify(spec.context)} (it has: ${names.join(', ') || 'none'})`,
        'use one of the contexts listed, or omit context to use current-context',
      );
    }
    kc.setCurrentContext(spec.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new ClusterError(
      `the kubeconfig's context ${JSON.stringify(kc.getCurrentContext() ?? '')} names no cluster with a server`,
      'set current-context (or context) to a context whose cluster has a server URL',
    );
  }
  return kc;
}

export async function connect(spec: ConnectionSpec, options: ConnectOptions = {}): Promise<Connection> {
  const kc = loadKubeConfig(spec);
  const server = (kc.getCurrentCluster()?.server as string).replace(/\/+$/, '');
  const { send, close, stream } = createSend(kc, server, options.requestTimeoutMs ?? 30_000);
  const conn = new Connection(server, spec.context ?? kc.getCurrentContext(), send, close, stream);
  if (options.verify !== false) {
    try {
      const version = await conn.request<{ gitVersion?: string }>({ method: 'GET', path: '/version', what: 'GET /version' });
      conn.serverVersion = version?.gitVersion;
    } catch (err) {
      close();
      throw err;
    }
  }
  return conn;
}
