// The harness API server has no nodes, so no Pod ever runs and no Deployment ever becomes
// Available; the Flux controllers run as local processes instead. A tool that waits for the
// controller Deployments' health (flux bootstrap's last step, the Terraform provider's apply)
// would wait forever. While such a tool runs, this loop plays the Deployment controller's part
// for the Flux Deployments of one namespace: it writes the status a healthy rollout has. Its
// requests carry the harness's user agent, so the benchmark does not count them as the tool's.
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';

interface Deployment {
  metadata: { name: string; generation?: number; labels?: Record<string, string> };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; availableReplicas?: number };
}

function availableStatus(d: Deployment): Record<string, unknown> {
  const replicas = d.spec?.replicas ?? 1;
  const now = new Date().toISOString();
  const condition = (type: string, reason: string) => ({ type, status: 'True', reason, lastUpdateTime: now, lastTransitionTime: now });
  return {
    observedGeneration: d.metadata.generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [condition('Available', 'MinimumReplicasAvailable'), condition('Progressing', 'NewReplicaSetAvailable')],
  };
}

/** Starts marking the Flux Deployments in `namespace` Available; call the result to stop. */
export function markDeploymentsAvailable(kube: KubeInfo, namespace: string, everyMs = 250): () => Promise<void> {
  const rest = new KubeRest(kube);
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const list = await rest.get(
          `/apis/apps/v1/namespaces/${namespace}/deployments?labelSelector=${encodeURIComponent('app.kubernetes.io/part-of=flux')}`,
        );
        for (const d of (list?.items ?? []) as Deployment[]) {
          if (d.status?.observedGeneration === d.metadata.generation && (d.status?.availableReplicas ?? 0) > 0) continue;
          await rest.request(
            'PATCH',
            `/apis/apps/v1/namespaces/${namespace}/deployments/${d.metadata.name}/status`,
            { status: availableStatus(d) },
            'application/merge-patch+json',
          );
        }
      } catch {
        /* the namespace may not exist yet */
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}
