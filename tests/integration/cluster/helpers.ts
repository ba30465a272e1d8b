// Small helpers for the cluster-layer integration tests.
import { target } from '../../../provider/cluster/apply-object';
import type { Connection } from '../../../provider/cluster/connection';
import { keyOf, refOf, type KubeObject } from '../../../provider/cluster/objects';

/** resourceVersion of each object (undefined when absent), keyed like objects.ts keyOf. */
export async function resourceVersions(conn: Connection, objects: readonly KubeObject[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  await Promise.all(
    objects.map(async (obj) => {
      const { path } = await target(conn, obj);
      const live = await conn.getOrUndefined<KubeObject>(path);
      out.set(keyOf(refOf(obj)), live?.metadata.resourceVersion);
    }),
  );
  return out;
}

export async function getObject(conn: Connection, obj: KubeObject): Promise<KubeObject | undefined> {
  const { path } = await target(conn, obj);
  return conn.getOrUndefined<KubeObject>(path);
}

/** Polls until fn returns true. */
export async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Sets `status` through the status subresource, in the role of a Flux controller. */
export async function setStatus(conn: Connection, obj: KubeObject, status: Record<string, unknown>): Promise<void> {
  const { path } = await target(conn, obj);
  await conn.request({ method: 'PATCH', path: `${path}/status`, body: { status }, contentType: 'application/merge-patch+json' });
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
