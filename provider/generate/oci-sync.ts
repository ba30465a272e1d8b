// gotk-sync.yaml for a gitless bootstrap: an OCIRepository (instead of the GitRepository) that
// pulls the artifact OciSyncManifests pushes, and the Kustomization applying it. Same shape
// rules as sync.ts (keys sorted, empty fields dropped). desiredState uses it when the sync url
// is oci://<registry>/<repository>:<tag>.
import { compareVersions } from '../../schema/checks';
import { splitOciUrl } from '../../schema/oci-url';
import type { InstallOptions, SyncOptions } from '../../schema/types';
import { marshal } from './goyaml/emitter';
import { GENERATED_WARNING } from './components';
import type { KubeObject } from './kustomize/objects';
import { KUSTOMIZATION_INTERVAL, kustomizationPath } from './sync';

export interface OciVerify {
  /** cosign or notation, as the OCIRepository's spec.verify.provider */
  provider: 'cosign' | 'notation';
  /** Secret with the public keys (cosign) or the trust policy and certificates (notation) */
  secretName?: string;
  /** keyless cosign: accepted OIDC issuer and subject regular expressions */
  matchOIDCIdentity?: Array<{ issuer: string; subject: string }>;
}

export interface OciSyncOptions {
  namespace: string;
  version: string;
  /** oci://<registry>/<repository>, without the tag */
  url: string;
  tag: string;
  interval: string;
  path: string;
  /** the registry credentials (a kubernetes.io/dockerconfigjson Secret); absent for a public artifact */
  secretName?: string;
  /** a Secret with ca.crt for a registry behind a private CA */
  certSecretName?: string;
  /** plain HTTP registry */
  insecure?: boolean;
  /** a cloud's workload identity (aws, azure, gcp): no pull Secret */
  provider?: 'aws' | 'azure' | 'gcp';
  verify?: OciVerify;
}

/** The OCIRepository's inputs from validated options with an oci:// url: the tag moves to
 *  ref.tag, the source Secret is the pull secret (unless anonymous) and, with a private CA,
 *  also the certSecretRef. */
export function ociSyncOptionsOf(
  opts: Pick<SyncOptions, 'url' | 'path' | 'interval' | 'secretName' | 'oci' | 'provider'> & Pick<InstallOptions, 'namespace' | 'version'>,
  version: string,
): OciSyncOptions {
  const parts = splitOciUrl(opts.url);
  if (!parts?.tag) throw new Error(`not a validated oci:// url with a tag: ${opts.url}`);
  const o = opts.oci ?? {};
  const out: OciSyncOptions = {
    namespace: opts.namespace,
    version,
    url: `oci://${parts.registry}/${parts.repository}`,
    tag: parts.tag,
    interval: opts.interval,
    path: opts.path,
  };
  const identity = opts.provider === 'aws' || opts.provider === 'azure' || opts.provider === 'gcp' ? opts.provider : undefined;
  if (identity) out.provider = identity;
  else if (o.anonymous !== true) out.secretName = opts.secretName;
  if (o.privateCa === true) out.certSecretName = opts.secretName;
  if (o.insecure === true) out.insecure = true;
  if (o.verify) out.verify = o.verify;
  return out;
}

/** OCIRepository is v1 from Flux v2.6.0; v2.5 serves it as v1beta2. */
export function ociRepositoryApiVersion(version: string): string {
  return version !== 'latest' && compareVersions(version, 'v2.6.0') < 0
    ? 'source.toolkit.fluxcd.io/v1beta2'
    : 'source.toolkit.fluxcd.io/v1';
}

export function ociSyncObjects(o: OciSyncOptions): [KubeObject, KubeObject] {
  const spec: KubeObject = { interval: o.interval, ref: { tag: o.tag }, url: o.url };
  if (o.secretName) spec.secretRef = { name: o.secretName };
  if (o.certSecretName) spec.certSecretRef = { name: o.certSecretName };
  if (o.insecure) spec.insecure = true;
  if (o.provider) spec.provider = o.provider;
  if (o.verify) {
    const v: KubeObject = { provider: o.verify.provider };
    if (o.verify.secretName) v.secretRef = { name: o.verify.secretName };
    if (o.verify.matchOIDCIdentity?.length) v.matchOIDCIdentity = o.verify.matchOIDCIdentity;
    spec.verify = v;
  }
  const source: KubeObject = {
    apiVersion: ociRepositoryApiVersion(o.version),
    kind: 'OCIRepository',
    metadata: { name: o.namespace, namespace: o.namespace },
    spec,
  };
  const kustomization: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: o.namespace, namespace: o.namespace },
    spec: {
      interval: KUSTOMIZATION_INTERVAL,
      path: kustomizationPath(o.path),
      prune: true,
      sourceRef: { kind: 'OCIRepository', name: o.namespace },
    },
  };
  return [source, kustomization];
}

export function generateOciSync(o: OciSyncOptions): string {
  const [source, ks] = ociSyncObjects(o);
  return `${GENERATED_WARNING}\n---\n${marshal(source)}---\n${marshal(ks)}`;
}

/** The revision Flux reports for a pulled tag: `<tag>@sha256:<hex>`. */
export function ociRevision(tag: string, digest: string): string {
  return `${tag}@${digest}`;
}
