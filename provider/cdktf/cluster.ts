// The cluster side: the engine's objects as `kubectl_manifest` resources applied server-side in
// Flux's stages, and the Git credentials (and image pull) Secrets as `kubernetes_secret_v1`,
// whose `data` the provider marks sensitive.
import type { Construct } from 'constructs';
import type { PullSecretShape, SourceSecretShape } from '../generate/secrets';
import { kubernetesProvider, kubernetesSecretV1 } from './bindings/kubernetes';
import { crdGuard, finalizerGuard, namespaceRecord, suspendGuard } from './destroy-guards';
import { kubectlManifest, kubectlProvider } from './bindings/kubectl';
import type { KubectlManifest } from './kubectl';
import type { CdkLibrary } from './library';
import type { ClusterApplyProps, ClusterProps } from './props';
import { literal } from './literal';
import type { Stage, StagedObject } from './stages';
import type { ClusterSide } from './construct-parts';
import type { Dependable, TerraformProviderRef } from './terraform-types';

export interface ClusterInputs {
  /** the user's CDK library (library.ts) */
  cdk: CdkLibrary;
  scope: Construct;
  alias: string;
  cluster: ClusterProps;
  apply: ClusterApplyProps;
  objects: StagedObject[];
  /** absent: no source Secret (an anonymous OCI pull without a private CA) */
  source?: { shape: SourceSecretShape; data: Record<string, string> };
  /** the namespace (named by the source Secret's shape otherwise) */
  namespace?: string;
  pull?: { shape: PullSecretShape; credentials: string };
  /** what the sync objects wait for besides the cluster: the committed files, the deploy key */
  syncAfter: Dependable[];
}

function providers(
  cdk: CdkLibrary,
  scope: Construct,
  alias: string,
  c: ClusterProps,
  retries: number,
): { kubernetes: TerraformProviderRef; kubectl: TerraformProviderRef } {
  const conn = {
    host: c.host,
    token: c.token,
    clusterCaCertificate: c.clusterCaCertificate,
    clientCertificate: c.clientCertificate,
    clientKey: c.clientKey,
    configPath: c.configPath,
    configContext: c.configContext,
    insecure: c.insecure,
  };
  const kubernetes = c.kubernetesProvider ?? new (kubernetesProvider(cdk))(scope, 'kubernetes', { alias: `${alias}-kubernetes`, ...conn });
  const kubectl =
    c.kubectlProvider ??
    new (kubectlProvider(cdk))(scope, 'kubectl', {
      alias: `${alias}-kubectl`,
      ...conn,
      // without this, kubectl also reads ~/.kube/config when the connection is inline
      loadConfigFile: c.configPath !== undefined,
      applyRetryCount: retries,
    });
  return { kubernetes, kubectl };
}

/** `{"auths":{"<registry>":{...}}}` computed by Terraform, so a credentials variable stays one. */
function dockerConfigJson({ Fn }: CdkLibrary, registry: string, credentials: string): string {
  const parts = Fn.split(':', credentials);
  // Terraform expressions (tokens), which cdktf types as any
  const username: unknown = Fn.element(parts, 0);
  const password: unknown = Fn.element(parts, 1);
  return Fn.jsonencode({ auths: { [registry]: { username, password, auth: Fn.base64encode(credentials) } } });
}

const isCrdObject = (o: StagedObject) => o.kind === 'CustomResourceDefinition';

export function clusterSide(input: ClusterInputs): ClusterSide {
  const { cdk, scope, apply } = input;
  const { kubernetes, kubectl } = providers(cdk, scope, input.alias, input.cluster, apply.applyRetryCount ?? 3);
  const Manifest = kubectlManifest(cdk);
  const Secret = kubernetesSecretV1(cdk);
  const manifests: Record<Stage, KubectlManifest[]> = { crds: [], components: [], sync: [] };
  const byId = new Map<string, KubectlManifest>();

  const namespaceName = input.namespace ?? input.source?.shape.namespace ?? 'flux-system';
  const isInstallNamespace = (o: StagedObject) => o.kind === 'Namespace' && o.name === namespaceName;
  const manifest = (o: StagedObject, dependsOn: Dependable[]) => {
    const m = new Manifest(scope, o.id, {
      provider: kubectl,
      yamlBody: literal(o.yaml),
      serverSideApply: true,
      fieldManager: apply.fieldManager ?? 'flux',
      forceConflicts: true, // as flux bootstrap: the manifests own the fields they set
      waitForRollout: o.kind === 'Deployment' ? (apply.waitForRollout ?? true) : undefined,
      waitFor: o.stage === 'sync' && (apply.waitForReady ?? true) ? { condition: [{ type: 'Ready', status: 'True' }] } : undefined,
      timeouts: o.kind === 'Deployment' || o.stage === 'sync' ? { create: apply.timeout ?? '5m' } : undefined,
      applyOnly: isCrdObject(o) || isInstallNamespace(o) ? true : undefined,
      dependsOn: dependsOn.length ? dependsOn : undefined,
    });
    manifests[o.stage].push(m);
    byId.set(o.id, m);
    return m;
  };

  // CRDs are cluster-wide: tofu never deletes them; the CRD guard does, unless others use them.
  // Nor the Namespace: the same guard deletes it after them, unless it was there before (the
  // record, made before the Namespace is applied, says) or keepNamespace.
  const keep = apply.keepNamespace === true;
  const first = input.objects.filter((x) => x.stage === 'crds');
  const crdsLast = crdGuard(
    cdk,
    scope,
    namespaceName,
    input.cluster,
    first.filter(isCrdObject).map((o) => o.name),
    keep,
  );
  const record = namespaceRecord(cdk, scope, namespaceName, input.cluster);
  for (const o of first) manifest(o, isInstallNamespace(o) ? [crdsLast, record] : [crdsLast]);
  // destroy in flux uninstall's order (destroy-guards.ts): controllers, then finalizers, then CRDs
  const beforeDefinitions = finalizerGuard(cdk, scope, namespaceName, input.cluster, manifests.crds, keep);
  for (const o of input.objects.filter((x) => x.stage === 'components')) manifest(o, [...manifests.crds, beforeDefinitions]);

  const namespace = input.objects.find((o) => o.kind === 'Namespace' && o.name === namespaceName);
  const nsDeps = namespace ? [byId.get(namespace.id)!] : manifests.crds;
  const source = input.source;
  const sourceSecret =
    source &&
    new Secret(scope, 'source-secret', {
      provider: kubernetes,
      metadata: { name: source.shape.name, namespace: source.shape.namespace },
      // gitless: the registry pull Secret (kubernetes.io/dockerconfigjson); Git: no type, as flux writes it
      type: source.shape.type === 'Opaque' ? undefined : source.shape.type,
      data: source.data,
      dependsOn: nsDeps,
    });
  const pullSecret =
    input.pull &&
    new Secret(scope, 'image-pull-secret', {
      provider: kubernetes,
      metadata: { name: input.pull.shape.name, namespace: input.pull.shape.namespace },
      type: input.pull.shape.type,
      data: { '.dockerconfigjson': dockerConfigJson(cdk, input.pull.shape.registry, input.pull.credentials) },
      dependsOn: nsDeps,
    });

  const syncDeps: Dependable[] = [
    ...manifests.components,
    ...(sourceSecret ? [sourceSecret] : []),
    ...(pullSecret ? [pullSecret] : []),
    ...input.syncAfter,
  ];
  for (const o of input.objects.filter((x) => x.stage === 'sync')) manifest(o, syncDeps);
  // destroyed first: suspends the sync objects before they are deleted
  suspendGuard(cdk, scope, namespaceName, input.cluster, manifests.sync, keep);
  return { manifests, sourceSecret, pullSecret };
}
