// Failures of a Git host's API, rewritten into messages that say what happened and what to do.
// When an input is to blame (token, owner, key) the error is an InputError naming that field;
// otherwise (outage, network) a HostError. Neither carries the client library's error object:
// those hold request headers, and with them the token.
import { InputError } from '../errors';
import { Secret } from '../secret';
import { text } from '../text';

export class HostError extends Error {
  readonly host: string;
  readonly operation: string;
  readonly status: number | undefined;
  readonly remedy: string;

  constructor(init: { host: string; operation: string; status?: number; reason: string; remedy: string }) {
    super(`${init.operation} on ${init.host} failed: ${init.reason}. Fix: ${init.remedy}.`);
    this.name = 'HostError';
    this.host = init.host;
    this.operation = init.operation;
    this.status = init.status;
    this.remedy = init.remedy;
  }
}

// Token shapes of GitHub (ghp_, gho_, ghs_, github_pat_) and GitLab (glpat-), and header forms.
const TOKEN_SHAPES = /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{16,})\b/g;
const HEADER_SHAPES = /\b(authorization|private-token)("?\s*[:=]\s*"?)((?:token|bearer|basic)\s+)?[^\s",}]{4,}/gi;
const WORD_SHAPES = /\b(token|bearer)(\s+)[A-Za-z0-9._~+/=-]{20,}/gi;

/** Text with every given secret, and anything shaped like a token, replaced by [secret]. */
export function scrub(text: string, secrets: Array<string | Secret<string> | undefined>): string {
  let out = text;
  for (const s of secrets) {
    const v = s === undefined ? '' : Secret.unwrap(s);
    if (v.length >= 4) out = out.split(v).join('[secret]');
  }
  return out
    .replace(TOKEN_SHAPES, '[secret]')
    .replace(HEADER_SHAPES, (_m, word: string, sep: string, scheme: string | undefined) => `${word}${sep}${scheme ?? ''}[secret]`)
    .replace(WORD_SHAPES, (_m, word: string, sep: string) => `${word}${sep}[secret]`);
}

/** What a client library's failure boils down to, before rewriting. */
export interface Failure {
  /** HTTP status, or undefined when no response came back */
  status?: number;
  /** the server's own message (already scrubbed) */
  message: string;
  /** e.g. ECONNREFUSED, ENOTFOUND, ETIMEDOUT */
  code?: string;
}

/** Pulls status, message and network code out of whatever a client threw. */
export function failureOf(e: unknown, secrets: Array<string | Secret<string> | undefined>): Failure {
  type Shape = {
    status?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: Shape & { description?: unknown };
    response?: { status?: unknown; data?: unknown };
  };
  const err = (e ?? {}) as Shape;
  // Octokit: error.status + response.data.message; gitbeaker: cause.response.status + cause.description
  const retried = typeof err.message === 'string' ? /last status code: (\d{3})/.exec(err.message) : null;
  const status =
    typeof err.status === 'number'
      ? err.status
      : typeof err.response?.status === 'number'
        ? err.response.status
        : typeof err.cause?.response?.status === 'number'
          ? err.cause.response.status
          : retried
            ? Number(retried[1])
            : undefined;
  let code: string | undefined;
  let fetchFailed: string | undefined;
  for (let c: unknown = e, depth = 0; c && depth < 5; c = (c as Shape).cause, depth++) {
    const k = (c as Shape).code;
    if (typeof k === 'string' && /^E[A-Z]+/.test(k)) {
      code = k;
      break;
    }
    // undici: TypeError('fetch failed') whose cause says why (refused, bad port, DNS ...)
    if (c instanceof Error && c.message === 'fetch failed') {
      const why = (c as Shape).cause;
      fetchFailed = typeof why?.message === 'string' ? why.message : 'fetch failed';
    }
  }
  code ??= fetchFailed;
  // Octokit reports a failed connection as status 500 with the socket error as a cause
  const answered = code === undefined ? status : undefined;
  const data = err.response?.data as { message?: unknown; error?: unknown; errors?: unknown } | undefined;
  // GitHub's 422: "Validation Failed" plus the reasons in errors[]
  const details = Array.isArray(data?.errors)
    ? data.errors
        .map((x: { message?: unknown; code?: unknown; field?: unknown }) =>
          typeof x?.message === 'string' ? x.message : `${text(x?.field ?? '')} ${text(x?.code ?? '')}`.trim(),
        )
        .filter(Boolean)
    : [];
  const serverMessage =
    typeof data?.message === 'string'
      ? [data.message, ...details].join(': ')
      : data?.message !== undefined
        ? JSON.stringify(data.message)
        : typeof data?.error === 'string'
          ? data.error
          : typeof err.cause?.description === 'string'
            ? err.cause.description
            : undefined;
  const message = serverMessage ?? (typeof err.message === 'string' ? err.message : String(e));
  return { status: answered, code, message: scrub(message, secrets).slice(0, 500) };
}

export interface RewriteContext {
  host: string;
  /** what we were doing, e.g. `create repository acme/fleet` */
  operation: string;
  token: Secret<string>;
  /** host-specific advice for a rejected or under-privileged token */
  tokenRemedy: string;
  scopeRemedy: string;
}

/** The rewrite every host shares: network failures, 401, 403, 429 and 5xx. Returns undefined
 *  for statuses the host client maps itself (404, 409, 422 ...). */
export function rewriteCommon(f: Failure, ctx: RewriteContext): Error | undefined {
  if (f.status === undefined) {
    return new HostError({
      host: ctx.host,
      operation: ctx.operation,
      reason: `no response (${f.code ?? f.message})`,
      remedy: `check the host URL (baseUrl) and that this machine can reach ${ctx.host} (proxy, DNS, firewall)`,
    });
  }
  if (f.status === 401) {
    return new InputError({
      field: 'token',
      value: ctx.token,
      reason: `token rejected by ${ctx.host} (${said(f)})`,
      remedy: ctx.tokenRemedy,
    });
  }
  if (f.status === 403 && !/rate limit/i.test(f.message)) {
    return new InputError({
      field: 'token',
      value: ctx.token,
      reason: `token may not ${ctx.operation} on ${ctx.host} (${said(f)})`,
      remedy: ctx.scopeRemedy,
    });
  }
  if (f.status === 403 || f.status === 429) {
    return new HostError({
      host: ctx.host,
      operation: ctx.operation,
      status: f.status,
      reason: `rate limited (${said(f)})`,
      remedy: 'wait for the limit to reset and run again, or use a token with a higher limit',
    });
  }
  if (f.status >= 500) {
    return new HostError({
      host: ctx.host,
      operation: ctx.operation,
      status: f.status,
      reason: `the server failed (${said(f)})`,
      remedy: `run again later; if it persists check ${ctx.host}'s status page`,
    });
  }
  return undefined;
}

/** `401 Bad credentials`, but GitLab's own `401 Unauthorized` not doubled. */
function said(f: Failure): string {
  return f.message.startsWith(String(f.status)) ? f.message : `${f.status} ${f.message}`;
}

/** The last resort for a status nobody mapped: still scrubbed, still with a remedy. */
export function unexpected(f: Failure, ctx: RewriteContext): HostError {
  return new HostError({
    host: ctx.host,
    operation: ctx.operation,
    status: f.status,
    reason: `unexpected answer (${f.status === undefined ? `${f.code} ${f.message}` : said(f)})`,
    remedy: 'check the inputs named in the message; run again with the same inputs to retry',
  });
}
