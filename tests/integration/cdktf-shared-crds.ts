// The harness cluster is shared by every test of a run, and CRDs are cluster-wide: when another
// test installs Flux into its own namespace, its apply (or its kustomize-controller) relabels
// the same CRDs with its namespace as app.kubernetes.io/instance. A plan of ours then shows
// those CRDs as changed. That is the test environment, not drift of this stack; these helpers
// tell the two apart.
import type { FluxCluster } from '../../provider/cdktf';
import type { KubeRest } from '../harness/kube-rest';

/** Planned changes other than CRDs that another installation has relabelled since our apply. */
export async function changesBesidesSharedCrds(
  rest: KubeRest,
  cluster: FluxCluster,
  namespace: string,
  planned: string[],
): Promise<string[]> {
  const crdById = new Map(cluster.objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => [o.id, o.name]));
  const left: string[] = [];
  for (const addr of planned) {
    const id = [...crdById.keys()].find((k) => addr.includes(`_${k}_`));
    if (id) {
      const live = await rest.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdById.get(id)}`);
      if (live?.metadata?.labels?.['app.kubernetes.io/instance'] !== namespace) continue;
    }
    left.push(addr);
  }
  return left;
}
