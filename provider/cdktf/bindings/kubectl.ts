// alekc/kubectl: the provider block and `kubectl_manifest`, the two parts of the provider the
// constructs use. There is no prebuilt provider package for it; these are the few lines
// `cdktf get` would generate for them. Why kubectl at all: docs/cdktf.md ("The cluster side");
// hashicorp/kubernetes' `kubernetes_manifest` needs the CRDs at plan time.
import type { KubectlManifest, KubectlManifestConfig, KubectlProviderConfig } from '../kubectl';
import {
  perLibrary,
  providerBinding,
  resourceBinding,
  type BoundResource,
  type PerLibrary,
  type ProviderSpec,
  type ResourceClass,
} from './define';

/** The provider release the bindings were written against. */
export const KUBECTL_VERSION = '2.2.0';
const KUBECTL: ProviderSpec = { name: 'kubectl', source: 'alekc/kubectl', version: KUBECTL_VERSION, constraint: '~> 2.0' };

export const kubectlProvider = providerBinding<KubectlProviderConfig>(KUBECTL, {
  applyRetryCount: 'number',
  clientCertificate: 'string',
  clientKey: 'string',
  clusterCaCertificate: 'string',
  configContext: 'string',
  configPath: 'string',
  host: 'string',
  insecure: 'boolean',
  loadConfigFile: 'boolean',
  token: 'string',
});

const manifestBinding = resourceBinding<KubectlManifestConfig>(KUBECTL, 'kubectl_manifest', {
  applyOnly: 'boolean',
  fieldManager: 'string',
  forceConflicts: 'boolean',
  sensitiveFields: 'stringList',
  serverSideApply: 'boolean',
  timeouts: { block: { create: 'string' } },
  // a block of at most one, written as a list of one as this binding always has
  waitFor: {
    block: {
      condition: { block: { status: 'string', type: 'string' }, list: true },
      field: { block: { key: 'string', value: 'string', valueType: 'string' }, list: true },
    },
    listOfOne: true,
  },
  waitForRollout: 'boolean',
  wait: 'boolean',
  yamlBody: 'string',
});

export const kubectlManifest: PerLibrary<ResourceClass<KubectlManifestConfig, BoundResource<KubectlManifestConfig> & KubectlManifest>> =
  perLibrary(
    (cdk) =>
      class extends manifestBinding(cdk) implements KubectlManifest {
        get config(): KubectlManifestConfig {
          return this.attributes;
        }
        get uid(): string {
          return this.getStringAttribute('uid');
        }
      },
  );
