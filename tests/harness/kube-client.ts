// For tests against the harness cluster: a client-node KubeConfig for the `kube` service,
// and polling until a condition holds.
import type { KubeConfig } from '@kubernetes/client-node';
import { clientNode, type ClientNodeModule } from '../../provider/cluster/client-node';
import { text } from '../../provider/text';
import type { KubeInfo } from './kube';
import { harnessInfo } from './state';

export function kubeClient(): { k8s: ClientNodeModule; kc: KubeConfig; info: KubeInfo } {
  const info = harnessInfo<KubeInfo>('kube');
  const k8s = clientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(info.kubeconfig);
  return { k8s, kc, info };
}

/** HTTP status of a client-node error (ApiException.code), or undefined. */
export function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Polls fn until it returns a value other than undefined; fails with `what` after timeoutMs. */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last error: ${text(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A name no earlier run used, so tests also work against a long-lived `harness up` cluster. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
