// The cluster side: the engine's objects as `kubectl_manifest` resources applied server-side in
// Flux's stages, and the Git credentials (and image pull) Secrets too, whose body is sensitive
// (secret-manifest.ts): a server-side apply adopts what a lost state left in the cluster.
import type { Construct } from 'constructs';
import type { PullSecretShape, SourceSecretShape } from '../generate/secrets';
import { kubernetesProvider } from './bindings/kubernetes';
import { crdGuard, finalizerGuard, namespaceRecord, suspendGuard } from './destroy-guards';
import { kubectlManifest, kubectlProvider } from './bindings/kubectl';
import type { KubectlManifest } from './kubectl';
import type { CdkLibrary } from './library';
import type { ClusterApplyProps, ClusterProps } from './props';
import { literal } from './literal';
import { secretManifest } from './secret-manifest';
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
  // no resource uses it any more; a state an earlier release made holds its Secrets under it, and
  // tofu needs it to forget them (removed-secret-v1.ts)
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
  const { kubectl } = providers(cdk, scope, input.alias, input.cluster, apply.applyRetryCount ?? 3);
  const Manifest = kubectlManifest(cdk);
  const fieldManager = apply.fieldManager ?? 'flux';
  const manifests: Record<Stage, KubectlManifest[]> = { crds: [], components: [], sync: [] };
  const byId = new Map<string, KubectlManifest>();

  const namespaceName = input.namespace ?? input.source?.shape.namespace ?? 'flux-system';
  const isInstallNamespace = (o: StagedObject) => o.kind === 'Namespace' && o.name === namespaceName;
  const manifest = (o: StagedObject, dependsOn: Dependable[]) => {
    const m = new Manifest(scope, o.id, {
      provider: kubectl,
      yamlBody: literal(o.yaml),
      serverSideApply: true,
      fieldManager,
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
  const secret = (id: string, shape: { name: string; namespace: string }, type: string | undefined, data: Record<string, string>) =>
    secretManifest(cdk, scope, id, {
      provider: kubectl,
      fieldManager,
      secret: { name: shape.name, namespace: shape.namespace, type, data },
      dependsOn: nsDeps,
    });
  // gitless: the registry pull Secret (kubernetes.io/dockerconfigjson); Git: no type, as flux writes it
  const sourceSecret =
    source && secret('source-secret', source.shape, source.shape.type === 'Opaque' ? undefined : source.shape.type, source.data);
  const pull = input.pull;
  const pullSecret =
    pull &&
    secret('image-pull-secret', pull.shape, pull.shape.type, {
      '.dockerconfigjson': dockerConfigJson(cdk, pull.shape.registry, pull.credentials),
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
