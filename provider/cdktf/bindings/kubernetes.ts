// hashicorp/kubernetes: the provider block, with the pins of @cdktf/provider-kubernetes 12.1
// (kubernetes 2.38.0, source written "kubernetes" as that package wrote it). No resource of it is
// written any more: the Secrets were `kubernetes_secret_v1` up to the release that made them
// `kubectl_manifest`s (../secret-manifest.ts), and the provider block stays so that a state
// holding them can forget them (../removed-secret-v1.ts).
import { providerBinding, type ProviderSpec } from './define';

export const KUBERNETES: ProviderSpec = { name: 'kubernetes', source: 'kubernetes', version: '2.38.0', constraint: '~> 2.0' };

/** How the provider reaches the cluster (the same fields as kubectl's). */
export interface KubernetesConnection {
  readonly host?: string;
  readonly token?: string;
  readonly clusterCaCertificate?: string;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  readonly configPath?: string;
  readonly configContext?: string;
  readonly insecure?: boolean;
}

export const kubernetesProvider = providerBinding<KubernetesConnection>(KUBERNETES, {
  clientCertificate: 'string',
  clientKey: 'string',
  clusterCaCertificate: 'string',
  configContext: 'string',
  configPath: 'string',
  host: 'string',
  insecure: 'boolean',
  token: 'string',
});
