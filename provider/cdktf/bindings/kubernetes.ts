// hashicorp/kubernetes: the provider block and `kubernetes_secret_v1` (whose `data` the provider
// marks sensitive), with the pins of @cdktf/provider-kubernetes 12.1 (kubernetes 2.38.0, source
// written "kubernetes" as that package wrote it).
import { providerBinding, resourceBinding, type ProviderSpec } from './define';

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

export interface KubernetesSecretV1Config {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly type?: string;
  readonly data?: Record<string, string>;
}

export const kubernetesSecretV1 = resourceBinding<KubernetesSecretV1Config>(KUBERNETES, 'kubernetes_secret_v1', {
  data: 'stringMap',
  metadata: { block: { name: 'string', namespace: 'string' } },
  type: 'string',
});
