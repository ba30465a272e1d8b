// Each tool of a side-by-side starts from a cluster without flux-system. The tool before it just
// deleted that namespace, and it terminates for a few seconds: `flux bootstrap` meets it while
// installing and gives up ("timeout waiting for: [Namespace/flux-system status: 'NotFound']").
import type { KubeInfo } from '../harness/kube';
import { KubeRest } from '../harness/kube-rest';

export async function namespaceGone(kube: KubeInfo, log: (m: string) => void, name = 'flux-system'): Promise<void> {
  const rest = new KubeRest(kube);
  const gone = async () => ((await rest.get(`/api/v1/namespaces/${name}`)) === null ? true : undefined);
  if (await gone()) return;
  log(`waiting until namespace ${name}, deleted a moment ago, is gone`);
  await rest.waitFor(`namespace ${name} gone`, gone, 180_000, 500);
}
