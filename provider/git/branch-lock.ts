// Writers in one process to one branch take turns. Pushes to a branch are serial by nature:
// writers of one stack that race each other only earn rejected pushes, refetches and backoff.
// Writers in other processes (other stacks, CI jobs) still race; commitFiles retries those.
const tails = new Map<string, Promise<void>>();

/** Runs fn once every earlier holder of `key` in this process has finished. */
export async function withBranchLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => {
    release = r;
  });
  const tail = before.then(() => mine);
  tails.set(key, tail);
  await before;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
