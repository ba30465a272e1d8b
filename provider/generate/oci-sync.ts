// gotk-sync.yaml for a gitless bootstrap: an OCIRepository (instead of the GitRepository) that
// pulls the artifact OciSyncManifests pushes, and the Kustomization applying it. Same shape
// rules as sync.ts (keys sorted, empty fields dropped). Groundwork: not wired into
// desiredState yet (see docs/engine.md, "OCI artifacts").
import { compareVersions } from '../../schema/checks';
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
  verify?: OciVerify;
}

/** OCIRepository is v1 from Flux v2.6.0; v2.5 serves it as v1beta2. */
export function ociRepositoryApiVersion(version: string): string {
  return version !== 'latest' && compareVersions(version, 'v2.6.0') < 0 ? 'source.toolkit.fluxcd.io/v1beta2' : 'source.toolkit.fluxcd.io/v1';
}

export function ociSyncObjects(o: OciSyncOptions): [KubeObject, KubeObject] {
  const spec: KubeObject = { interval: o.interval, ref: { tag: o.tag }, url: o.url };
  if (o.secretName) spec.secretRef = { name: o.secretName };
  if (o.certSecretName) spec.certSecretRef = { name: o.certSecretName };
  if (o.verify) {
    const v: KubeObject = { provider: o.verify.provider };
    if (o.verify.secretName) v.secretRef = { name: o.verify.secretName };
    if (o.verify.matchOIDCIdentity?.length) v.matchOIDCIdentity = o.verify.matchOIDCIdentity;
    spec.verify = v;
  }
  const source: KubeObject = { apiVersion: ociRepositoryApiVersion(o.version), kind: 'OCIRepository', metadata: { name: o.namespace, namespace: o.namespace }, spec };
  const kustomization: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: o.namespace, namespace: o.namespace },
    spec: { interval: KUSTOMIZATION_INTERVAL, path: kustomizationPath(o.path), prune: true, sourceRef: { kind: 'OCIRepository', name: o.namespace } },
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
