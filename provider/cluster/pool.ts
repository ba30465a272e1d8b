// Runs independent requests in parallel, at most `limit` at a time, and lets every item finish
// so one failure does not hide the others.

export type Settled<R> = { ok: true; value: R } | { ok: false; error: Error };

export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<Settled<R>[]> {
  const results = new Array<Settled<R>>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await fn(items[index], index) };
      } catch (err) {
        // Duck-typed: errors from client-node come from another realm when running under Jest.
        const isError = typeof err === 'object' && err !== null && 'message' in err;
        results[index] = { ok: false, error: isError ? (err as Error) : new Error(String(err)) };
      }
    }
  }
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  return results;
}
