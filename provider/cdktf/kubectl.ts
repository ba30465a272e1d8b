// The alekc/kubectl bindings as public classes, for a stack's own `kubectl_manifest`s or to pass
// the construct a provider (`cluster.kubectlProvider`): `new KubectlProvider(stack, ...)` makes
// the element on the CDK library of `stack` (cdktf or cdktn, library.ts).
import type { Construct } from 'constructs';
import { libraryClass, perLibrary } from './bindings/define';
import { KUBECTL_VERSION, kubectlManifest, kubectlProvider } from './bindings/kubectl';
import type { MetaArguments, TerraformProviderRef, TerraformResourceRef } from './terraform-types';

/** The provider release the bindings were written against (alekc/kubectl). */
export const KUBECTL_PROVIDER_VERSION: string = KUBECTL_VERSION;

export interface KubectlProviderConfig {
  readonly alias?: string;
  readonly host?: string;
  readonly token?: string;
  readonly clusterCaCertificate?: string;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  readonly configPath?: string;
  readonly configContext?: string;
  readonly insecure?: boolean;
  /** read ~/.kube/config (or KUBECONFIG) when nothing else says where the cluster is */
  readonly loadConfigFile?: boolean;
  readonly applyRetryCount?: number;
}

export interface KubectlManifestConfig extends MetaArguments {
  readonly yamlBody: string;
  readonly serverSideApply?: boolean;
  readonly fieldManager?: string;
  readonly forceConflicts?: boolean;
  readonly waitForRollout?: boolean;
  readonly sensitiveFields?: string[];
  readonly applyOnly?: boolean;
  /** wait after create/update until every condition holds (status.conditions[type].status) */
  readonly waitFor?: {
    condition?: { type: string; status: string }[];
    /** a field's value (`valueType: "regex"` for a pattern), e.g. status.lastAppliedRevision */
    field?: { key: string; value: string; valueType?: 'eq' | 'regex' }[];
  };
  /** destroy waits until the object is gone, finalizers included (e.g. a FluxInstance's uninstall) */
  readonly wait?: boolean;
  /** create/update timeout, Go duration; also bounds waitForRollout and waitFor (default 10m) */
  readonly timeouts?: { create?: string };
}

export interface KubectlManifest extends TerraformResourceRef {
  readonly config: KubectlManifestConfig;
  /** the object's uid, known after apply */
  readonly uid: string;
}

export type KubectlProvider = TerraformProviderRef;

/** The provider block, on the library of the stack it is created in. */
export const KubectlProvider = libraryClass<KubectlProviderConfig | undefined, KubectlProvider>(
  'kubectl',
  perLibrary(
    (cdk) =>
      class extends kubectlProvider(cdk) {
        constructor(scope: Construct, id: string, config: KubectlProviderConfig = {}) {
          super(scope, id, config);
        }
      },
  ),
);

/** `kubectl_manifest`, on the library of the stack it is created in. */
export const KubectlManifest = libraryClass<KubectlManifestConfig, KubectlManifest>('kubectl_manifest', kubectlManifest);
