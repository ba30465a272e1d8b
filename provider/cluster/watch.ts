// Kubernetes watches instead of polls: one long GET per collection for a whole wait, events as
// they happen (no poll interval added to the tail), and far fewer requests. A watch started
// without a resourceVersion begins with the current objects (synthetic ADDED events), so no
// LIST is needed first. The server ends a watch after timeoutSeconds: it is resumed from the
// last resourceVersion seen; a 410 Gone (too old) starts over.
import type { Connection } from './connection';
import { statusOf } from './errors';
import type { KubeObject } from './objects';

export interface WatchTarget {
  /** the collection, e.g. /apis/apps/v1/namespaces/flux-system/deployments */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** for messages */
  what: string;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; message?: string };
}

export interface WatchHandlers {
  /** after every change, with the objects now known by name */
  onChange(objects: ReadonlyMap<string, KubeObject>): void;
  /** the watch could not be (re)started: the API is not served yet (404), or the request failed */
  onTrouble?(message: string): void;
}

/** How long the server keeps one watch open (it ends it then; we resume). */
const WATCH_SECONDS = 240;
/** Pause before restarting a watch that could not start (API not served yet, network). */
export const RETRY_MS = 1_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Keeps `handlers` informed about the collection until `signal` aborts. Never throws. */
export async function watchCollection(conn: Connection, target: WatchTarget, handlers: WatchHandlers, signal: AbortSignal): Promise<void> {
  const objects = new Map<string, KubeObject>();
  let resourceVersion: string | undefined;
  while (!signal.aborted) {
    let restart = false;
    const opened = Date.now();
    let events = 0;
    try {
      await conn.openStream(
        {
          method: 'GET',
          path: target.path,
          what: `watch ${target.what}`,
          query: {
            watch: 1,
            allowWatchBookmarks: true,
            timeoutSeconds: WATCH_SECONDS,
            labelSelector: target.labelSelector,
            fieldSelector: target.fieldSelector,
            resourceVersion,
          },
        },
        (line) => {
          let ev: WatchEvent;
          try {
            ev = JSON.parse(line) as WatchEvent;
          } catch {
            return;
          }
          events++;
          if (ev.type === 'ERROR') {
            // 410 Gone: our resourceVersion is too old; start over with the current objects
            resourceVersion = undefined;
            restart = true;
            return;
          }
          const rv = ev.object?.metadata?.resourceVersion;
          if (rv) resourceVersion = rv;
          if (ev.type === 'BOOKMARK') return;
          if (ev.type === 'DELETED') objects.delete(ev.object.metadata.name);
          else objects.set(ev.object.metadata.name, ev.object);
          handlers.onChange(objects);
        },
        signal,
      );
    } catch (err) {
      if (signal.aborted) return;
      const status = statusOf(err);
      handlers.onTrouble?.(
        status === 404 ? `${target.what}: the API is not served yet` : `${target.what}: cannot watch (${(err as Error).message})`,
      );
      if (status === 410) resourceVersion = undefined;
      await sleep(RETRY_MS, signal);
      continue;
    }
    if (restart) {
      objects.clear();
      handlers.onChange(objects);
    }
    // a server (or proxy) that ends watches at once must not make this a busy loop
    if (events === 0 && Date.now() - opened < RETRY_MS) await sleep(RETRY_MS, signal);
  }
}

/** A label selector every one of `objects` matches: the labels they all share with one value,
 *  except `ignore` (labels another writer may change meanwhile). */
export function commonLabelSelector(objects: readonly KubeObject[], ignore: readonly string[] = []): string | undefined {
  if (objects.length === 0) return undefined;
  const [first, ...rest] = objects;
  const shared = Object.entries(first.metadata.labels ?? {}).filter(
    ([k, v]) => !ignore.includes(k) && rest.every((o) => o.metadata.labels?.[k] === v),
  );
  return shared.length ? shared.map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}
