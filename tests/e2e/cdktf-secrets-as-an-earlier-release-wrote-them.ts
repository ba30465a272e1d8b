// A FluxCluster whose Secrets are put back the way releases before secret-manifest.ts wrote them:
// `kubernetes_secret_v1` at the same construct path (so the same logical id), with its kubernetes
// provider, its data as the attribute, depending on the Namespace, and the sync objects depending
// on it; no `removed` block. The prebuilt @cdktf/provider-kubernetes class writes it, which the
// earlier binding wrote alike (unit cdktf-own-bindings-write-what-the-prebuilt-packages-wrote, as
// it stood then). Checked against that release's own synth when this was written: the same
// Terraform JSON, byte for byte, for a FluxCluster with a tls key and an image pull Secret.
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Lazy, Tokenization, type TerraformProvider, type TerraformResource } from 'cdktf';
import type { FluxCluster } from '../../provider/cdktf';

export interface OldSecret {
  /** the construct id: 'source-secret' or 'image-pull-secret' */
  id: string;
  name: string;
  type?: string;
  data: Record<string, string>;
}

export function asAnEarlierReleaseWroteThem(flux: FluxCluster, secrets: OldSecret[]): void {
  const namespace = flux.resources.manifests.crds.find((m) => /^kind: Namespace$/m.test(m.config.yamlBody))!;
  const kubernetes = flux.node.findChild('kubernetes') as TerraformProvider;
  const ns = flux.desired.secretShape.source.namespace;
  for (const s of secrets) {
    const manifest = flux.node.findChild(s.id) as TerraformResource;
    flux.node.tryRemoveChild(s.id);
    flux.node.tryRemoveChild(`${s.id}-v1-removed`);
    const old = new SecretV1(flux, s.id, {
      provider: kubernetes,
      metadata: { name: s.name, namespace: ns },
      type: s.type,
      data: s.data,
      dependsOn: [namespace],
    });
    // depends_on holds one token per element, which resolves to its address (cdktf's Dependable)
    const isManifest = (d: string) =>
      (Tokenization.reverseString(d).firstToken as unknown as { dependable?: unknown })?.dependable === manifest;
    for (const m of flux.resources.manifests.sync as unknown as TerraformResource[])
      m.dependsOn = m.dependsOn?.map((d) =>
        isManifest(d) ? Lazy.stringValue({ produce: () => `${SecretV1.tfResourceType}.${old.friendlyUniqueId}` }) : d,
      );
  }
}
