// Waits until freshly applied CRDs are Established, with one watch on the CRD collection
// (narrowed by the labels the CRDs share) instead of a GET per CRD every 250 ms: the apply of
// the second stage starts the moment the last CRD is served.
import type { ObjectResult } from './apply-object';
import type { Connection } from './connection';
import { resourcesOfCrd } from './discovery';
import { ClusterError } from './errors';
import { INSTANCE_LABEL } from './inventory';
import { conditionOf, type KubeObject } from './objects';
import { commonLabelSelector, watchCollection } from './watch';

export function isEstablished(crd: KubeObject | undefined): boolean {
  return conditionOf(crd, 'Established')?.status === 'True';
}

export async function waitForCrdsEstablished(
  conn: Connection,
  results: ObjectResult[],
  timeoutMs: number,
  onProgress?: (m: string) => void,
): Promise<void> {
  const crds = results.filter((r) => r.ref.kind === 'CustomResourceDefinition');
  const pending = new Set(crds.filter((r) => !isEstablished(r.live)).map((r) => r.ref.name));
  if (pending.size === 0) return;
  onProgress?.(`waiting for ${pending.size} CRDs to be Established`);
  const lives = crds.map((r) => r.live).filter((l): l is KubeObject => l !== undefined);
  // CRDs are shared: another Flux instance (or its kustomize-controller) relabels them with its
  // instance and version at any time, so those labels do not narrow the watch
  const labelSelector =
    lives.length === crds.length ? commonLabelSelector(lives, [INSTANCE_LABEL, 'app.kubernetes.io/version']) : undefined;
  const seen = new Map<string, KubeObject>();
  const stop = new AbortController();
  let trouble = '';
  const done = new Promise<void>((resolve) => {
    void watchCollection(
      conn,
      { path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', labelSelector, what: 'CustomResourceDefinitions' },
      {
        onChange(objects) {
          for (const name of [...pending]) {
            const crd = objects.get(name);
            if (crd) seen.set(name, crd);
            if (!isEstablished(crd)) continue;
            pending.delete(name);
            // The served kinds are new: make discovery ask again instead of trusting its cache.
            for (const info of resourcesOfCrd(crd!)) conn.discovery.forget(info.apiVersion);
          }
          if (pending.size === 0) resolve();
        },
        onTrouble(message) {
          trouble = message;
        },
      },
      stop.signal,
    );
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    if ((await Promise.race([done, timeout])) !== 'timeout') return;
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
  const why = [...pending].map((name) => {
    const cond = conditionOf(seen.get(name), 'Established') ?? conditionOf(seen.get(name), 'NamesAccepted');
    return `CustomResourceDefinition/${name}${cond?.message ? ` (${cond.message})` : ''}`;
  });
  throw new ClusterError(
    `CRDs not Established after ${Math.round(timeoutMs / 1000)}s: ${why.join(', ')}${trouble ? `; last problem: ${trouble}` : ''}`,
    "check the API server log and the CRDs' conditions (kubectl describe crd <name>); a name clash with another CRD blocks NamesAccepted",
  );
}
