// The FluxInstance object (the one the operator reconciles is named `flux`, in its own
// namespace), its manifest as committed to the repository, the release its version range
// resolves to among the releases the operator carries, and the Secret its sync pulls with.
// Pure: no I/O.
import type { CredentialsInputs } from '../resources/install-state';
import { toSourceCredentials } from '../resources/install-state';
import { InputError } from '../errors';
import { marshal, type YamlValue } from '../generate/goyaml/emitter';
import type { KubeObject as ClusterObject } from '../cluster/objects';
import type { KubeObject } from '../generate/kustomize/objects';
import { ociSourceSecret, sourceSecret } from '../generate/secrets';
import type { FluxInstanceSpec } from '../../schema/flux-instance';
import { resolveRange } from './semver-range';

export const INSTANCE_NAME = 'flux';
export const INSTANCE_API_VERSION = 'fluxcd.controlplane.io/v1';
/** the file Bootstrap commits at <path>/<namespace>/ */
export const INSTANCE_FILE = 'flux-instance.yaml';

/** Workload identity: the cloud's identity, no Secret. */
export const isWorkloadIdentity = (provider: string | undefined) => provider === 'aws' || provider === 'azure' || provider === 'gcp';

/** JSON through and back: drops undefined, keeps only what YAML can hold. */
const plain = (v: unknown): YamlValue => JSON.parse(JSON.stringify(v)) as YamlValue;

export function instanceObject(spec: FluxInstanceSpec, namespace: string): KubeObject {
  return {
    apiVersion: INSTANCE_API_VERSION,
    kind: 'FluxInstance',
    metadata: { name: INSTANCE_NAME, namespace },
    spec: plain(spec),
  };
}

/** The manifest committed to the repository, so the cluster manages its own Flux from Git. */
export function instanceManifest(spec: FluxInstanceSpec, namespace: string): string {
  return `---\n${marshal(instanceObject(spec, namespace))}`;
}

/** The release the operator will install: the newest it carries in the range. */
export function resolveInstanceVersion(spec: FluxInstanceSpec, releases: readonly string[], operatorVersion: string): string {
  const found = resolveRange(spec.distribution.version, releases);
  if (!found)
    throw new InputError({
      field: 'instance.distribution.version',
      value: spec.distribution.version,
      reason: `matches none of the Flux releases the operator ${operatorVersion} carries (${releases[0]} to ${releases[releases.length - 1]})`,
      remedy: 'use a range that includes one of them, e.g. "2.x"',
    });
  return found;
}

export interface SyncSecretPlan {
  /** the Secret to apply, or undefined when none is made */
  secret?: ClusterObject;
  /** why there is none, for the progress line */
  none?: string;
}

/**
 * The sync's pull Secret from `credentials`: SSH (identity, identity.pub, known_hosts), HTTPS
 * (username/password or bearerToken), a GitHub App (provider github) or registry credentials
 * (OCIRepository, a docker-config Secret). With workload identity there is none, and
 * credentials are refused: nothing secret is stored anywhere.
 */
export function syncSecret(spec: FluxInstanceSpec, namespace: string, creds: CredentialsInputs | undefined): SyncSecretPlan {
  const sync = spec.sync;
  if (!sync) return { none: 'no sync' };
  if (isWorkloadIdentity(sync.provider)) return { none: `sync.provider ${sync.provider}: the cloud identity, no Secret` };
  if (!creds || Object.values(creds).every((v) => v === undefined)) return { none: 'no credentials given' };
  const shape = { name: sync.pullSecret ?? namespace, namespace };
  if (sync.kind === 'OCIRepository') {
    const registry = /^oci:\/\/([^/]+)/.exec(sync.url)?.[1] ?? '';
    const secret = ociSourceSecret(
      { ...shape, type: 'kubernetes.io/dockerconfigjson', transport: 'oci', registry, keys: ['.dockerconfigjson'], optionalKeys: [] },
      creds,
      creds.caPem,
    );
    return secret ? { secret: secret as unknown as ClusterObject } : { none: 'anonymous' };
  }
  return { secret: sourceSecret(shape, toSourceCredentials(creds), creds.caPem) as unknown as ClusterObject };
}

/** Problems of `credentials` against the sync: each a message naming the field. */
export function credentialProblems(spec: FluxInstanceSpec, creds: CredentialsInputs | undefined): InputError[] {
  const given = creds ? Object.entries(creds).filter(([, v]) => v !== undefined) : [];
  if (!given.length) return [];
  const sync = spec.sync;
  const refuse = (reason: string, remedy: string) => [new InputError({ field: 'credentials', value: creds, reason, remedy, secret: true })];
  if (!sync) return refuse('are given, but the instance has no sync', 'remove credentials, or give instance.sync');
  if (isWorkloadIdentity(sync.provider))
    return refuse(
      `are given, but sync.provider ${sync.provider} authenticates with the cloud's workload identity: no Secret is made`,
      'remove credentials (nothing secret is stored), or use provider generic',
    );
  if (sync.kind === 'Bucket')
    return refuse('are not made into a Bucket Secret here', 'create the Secret yourself and name it in sync.pullSecret');
  if (sync.provider === 'github' && creds?.githubAppId === undefined)
    return refuse(
      'must be a GitHub App (githubAppId, githubAppInstallationId, githubAppPrivateKey) with sync.provider github',
      'give the App',
    );
  if (sync.kind === 'GitRepository' && sync.url.startsWith('ssh://') && creds?.privateKey === undefined)
    return refuse(`need privateKey, publicKey and knownHosts for the ssh URL ${sync.url}`, 'pass the DeployKey outputs');
  return [];
}
