// One API call with its failure rewritten: the host client maps the statuses that mean
// something for that call (404 on a read = absent, 422 = key in use ...), everything else
// goes through the shared rewrite. Whatever the client library threw is dropped here.
import { failureOf, rewriteCommon, unexpected, type Failure, type RewriteContext } from './host-error';

/** A mapped "absent" answer (404 on a read, 422 already exists), distinct from any response. */
export const ABSENT: unique symbol = Symbol('absent');
export type Absent = typeof ABSENT;

/** Per-status rewrite of one call; undefined falls back to the shared rewrite. */
export type Mapper = (f: Failure) => Error | Absent | undefined;

export async function apiCall<T>(ctx: RewriteContext, fn: () => Promise<T>, map?: Mapper): Promise<T | Absent> {
  let failure: Failure;
  try {
    return await fn();
  } catch (e) {
    failure = failureOf(e, [ctx.token]);
  }
  const mapped = map?.(failure);
  if (mapped === ABSENT) return ABSENT;
  throw mapped ?? rewriteCommon(failure, ctx) ?? unexpected(failure, ctx);
}

/** For calls whose mapper never answers ABSENT. */
export function present<T>(v: T | Absent): T {
  if (v === ABSENT) throw new Error('internal: an API call mapped to "absent" where an answer was required');
  return v;
}

export const on404: Mapper = (f) => (f.status === 404 ? ABSENT : undefined);
