// Errors of the cluster layer. Every message reads "<what went wrong>. Fix: <what to do>",
// so the CLI, Pulumi and CDKTF can print it as is, and it never carries a credential.

export class ClusterError extends Error {
  readonly reason: string;
  readonly remedy: string;
  /** Node's error code (ECONNREFUSED, ...) or the API's reason (NotFound, Conflict, ...). */
  readonly code?: string;

  constructor(reason: string, remedy: string, options: { code?: string; cause?: unknown } = {}) {
    super(formatMessage(reason, remedy), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClusterError';
    this.reason = reason;
    this.remedy = remedy;
    this.code = options.code;
  }
}

function formatMessage(reason: string, remedy: string): string {
  if (reason.includes('\n')) return `${reason}\nFix: ${remedy}`;
  return `${reason.replace(/[.\s]+$/, '')}. Fix: ${remedy}`;
}

/** The API server answered with an error status (4xx/5xx). */
export class ApiError extends ClusterError {
  readonly status: number;
  /** The Status object's details (kind, name, causes), useful for tests and diagnostics. */
  readonly details?: unknown;

  constructor(status: number, apiReason: string | undefined, reason: string, remedy: string, details?: unknown) {
    super(reason, remedy, { code: apiReason });
    this.name = 'ApiError';
    this.status = status;
    this.details = details;
  }
}

/** No HTTP answer at all: refused, unresolvable, timed out, reset, or TLS verification failed. */
export class UnreachableError extends ClusterError {
  /** the server answered, but its certificate could not be verified */
  readonly tls: boolean;

  constructor(reason: string, remedy: string, options: { code?: string; cause?: unknown; tls?: boolean } = {}) {
    super(reason, remedy, options);
    this.name = 'UnreachableError';
    this.tls = options.tls === true;
  }
}

/** Whether the cluster could not be talked to at all (by name: errors may cross realms). */
export function isUnreachable(err: unknown, includeTls = true): boolean {
  const e = err as UnreachableError | null;
  return e?.name === 'UnreachableError' && (includeTls || !e.tls);
}

/** Errors may cross realms (client-node is loaded outside Jest's sandbox): compare by shape. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}

export function isConflict(err: unknown): boolean {
  return statusOf(err) === 409;
}

/** Several objects failed in one step; `results` keeps what succeeded, for partial state. */
export class AggregateClusterError<T = unknown> extends ClusterError {
  readonly failures: { object: string; error: Error }[];
  readonly results: T[];

  constructor(step: string, total: number, failures: { object: string; error: Error }[], results: T[]) {
    const lines = failures.map((f) => `  ${f.object}: ${f.error.message}`).join('\n');
    super(
      `${failures.length} of ${total} objects failed to ${step}:\n${lines}`,
      'correct the objects above (the first error usually explains the rest) and run again; objects that succeeded are not touched twice',
    );
    this.name = 'AggregateClusterError';
    this.failures = failures;
    this.results = results;
  }
}
