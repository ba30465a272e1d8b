// The Secrets `flux bootstrap` creates in the cluster (never in Git): the Git credentials
// Secret referenced by the GitRepository, and the optional image pull secret.
import { isOciUrl, splitOciUrl } from '../../schema/oci-url';
import type { InstallOptions, SyncOptions } from '../../schema/types';
import { Secret } from '../secret';
import type { KubeObject } from './kustomize/objects';

export type GitTransport = 'ssh' | 'https' | 'http';

export interface SourceSecretShape {
  name: string;
  namespace: string;
  type: 'Opaque' | 'kubernetes.io/dockerconfigjson';
  /** oci: a gitless bootstrap, the Secret is the registry pull secret (and CA) */
  transport: GitTransport | 'oci';
  /** oci: the registry host[:port] the .dockerconfigjson names */
  registry?: string;
  /** oci, anonymous pull without a private CA: no Secret is made at all */
  absent?: true;
  /** Keys that must be present; alternatives are listed in `oneOf`. */
  keys: string[];
  oneOf?: string[][];
  optionalKeys: string[];
  /** known_hosts host entry for SSH: "host" on port 22, "[host]:port" otherwise. */
  knownHostsName?: string;
}

export interface PullSecretShape {
  name: string;
  namespace: string;
  type: 'kubernetes.io/dockerconfigjson';
  keys: ['.dockerconfigjson'];
  registry: string;
}

export function transportOf(url: string): GitTransport {
  return new URL(url).protocol.replace(':', '') as GitTransport;
}

export function knownHostsName(url: string): string {
  const u = new URL(url);
  return u.port && u.port !== '22' ? `[${u.hostname}]:${u.port}` : u.hostname;
}

export function sourceSecretShape(
  opts: Pick<SyncOptions, 'url' | 'secretName' | 'provider' | 'oci'> & Pick<InstallOptions, 'namespace'>,
): SourceSecretShape {
  if (isOciUrl(opts.url)) return ociSecretShape(opts);
  const transport = transportOf(opts.url);
  const base = { name: opts.secretName, namespace: opts.namespace, type: 'Opaque' as const, transport };
  if (opts.provider === 'github') return { ...base, keys: [...GITHUB_APP_KEYS], optionalKeys: ['githubAppBaseURL', 'ca.crt'] };
  if (transport === 'ssh') {
    return {
      ...base,
      keys: ['identity', 'identity.pub', 'known_hosts'],
      optionalKeys: ['password', 'ca.crt'],
      knownHostsName: knownHostsName(opts.url),
    };
  }
  return { ...base, keys: [], oneOf: [['username', 'password'], ['bearerToken']], optionalKeys: ['ca.crt'] };
}

/** Gitless: a docker-config pull Secret for the registry (ca.crt beside it with a private CA);
 *  anonymous pulls need one only for the CA. */
function ociSecretShape(
  opts: Pick<SyncOptions, 'url' | 'secretName' | 'oci' | 'provider'> & Pick<InstallOptions, 'namespace'>,
): SourceSecretShape {
  const registry = splitOciUrl(opts.url)?.registry ?? '';
  const base = { name: opts.secretName, namespace: opts.namespace, transport: 'oci' as const, registry };
  const ca = opts.oci?.privateCa === true;
  // a cloud's workload identity pulls like an anonymous pull here: no credentials in the cluster
  if (opts.oci?.anonymous === true || ['aws', 'azure', 'gcp'].includes(opts.provider ?? '')) {
    return ca
      ? { ...base, type: 'Opaque', keys: ['ca.crt'], optionalKeys: [] }
      : { ...base, type: 'Opaque', keys: [], optionalKeys: [], absent: true };
  }
  return { ...base, type: 'kubernetes.io/dockerconfigjson', keys: ['.dockerconfigjson', ...(ca ? ['ca.crt'] : [])], optionalKeys: [] };
}

/** The gitless source Secret: `.dockerconfigjson` for the registry (unless anonymous) and
 *  `ca.crt` (with a private CA); undefined when the shape says no Secret is made. */
export function ociSourceSecret(
  shape: SourceSecretShape,
  creds: { username?: string; password?: string | Secret },
  caCrt?: string,
): KubeObject | undefined {
  if (shape.absent) return undefined;
  const data: Record<string, string> = {};
  if (shape.keys.includes('.dockerconfigjson'))
    data['.dockerconfigjson'] = dockerConfigJson(shape.registry ?? '', `${creds.username ?? ''}:${Secret.unwrap(creds.password ?? '')}`);
  if (shape.keys.includes('ca.crt') && caCrt) data['ca.crt'] = caCrt;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: shape.name, namespace: shape.namespace },
    stringData: data,
    type: shape.type,
  };
}

export function pullSecretShape(
  opts: Pick<InstallOptions, 'imagePullSecret' | 'namespace' | 'registry' | 'registryCredentials'>,
): PullSecretShape | undefined {
  if (!opts.imagePullSecret || !opts.registryCredentials) return undefined;
  return {
    name: opts.imagePullSecret,
    namespace: opts.namespace,
    type: 'kubernetes.io/dockerconfigjson',
    keys: ['.dockerconfigjson'],
    registry: opts.registry,
  };
}

/** The keys source-controller reads for `provider: github` (fluxcd/pkg git/github). */
export const GITHUB_APP_KEYS = ['githubAppID', 'githubAppInstallationID', 'githubAppPrivateKey'] as const;

export type SourceCredentials =
  | { githubApp: { appId: string; installationId: string; privateKey: string | Secret; baseUrl?: string } }
  | { ssh: { identity: string | Secret; identityPub: string; knownHosts: string; password?: string | Secret } }
  | { basicAuth: { username: string; password: string | Secret } }
  | { bearerToken: string | Secret };

/** The flux-system Secret as Flux's sourcesecret generator builds it (stringData, no type). */
export function sourceSecret(shape: Pick<SourceSecretShape, 'name' | 'namespace'>, creds: SourceCredentials, caCrt?: string): KubeObject {
  const data: Record<string, string> = {};
  if ('basicAuth' in creds) {
    data.username = creds.basicAuth.username;
    data.password = Secret.unwrap(creds.basicAuth.password);
  }
  if ('bearerToken' in creds) data.bearerToken = Secret.unwrap(creds.bearerToken);
  if ('githubApp' in creds) {
    data.githubAppID = creds.githubApp.appId;
    data.githubAppInstallationID = creds.githubApp.installationId;
    data.githubAppPrivateKey = Secret.unwrap(creds.githubApp.privateKey);
    if (creds.githubApp.baseUrl) data.githubAppBaseURL = creds.githubApp.baseUrl;
  }
  if (caCrt) data['ca.crt'] = caCrt;
  if ('ssh' in creds) {
    data.identity = Secret.unwrap(creds.ssh.identity);
    data['identity.pub'] = creds.ssh.identityPub;
    data.known_hosts = creds.ssh.knownHosts;
    if (creds.ssh.password !== undefined && Secret.unwrap(creds.ssh.password) !== '') data.password = Secret.unwrap(creds.ssh.password);
  }
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: shape.name, namespace: shape.namespace }, stringData: data };
}

/** Go's encoding/json escaping of strings (<, >, & and the JS line separators as \u00XX). */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** The .dockerconfigjson Flux writes: {"auths":{"<registry>":{"username","password","auth"}}}. */
export function dockerConfigJson(registry: string, credentials: string | Secret): string {
  const creds = Secret.unwrap(credentials);
  const i = creds.indexOf(':');
  const [user, pass] = [creds.slice(0, i), creds.slice(i + 1)];
  const auth = Buffer.from(`${user}:${pass}`).toString('base64');
  return `{"auths":{${goJsonString(registry)}:{"username":${goJsonString(user)},"password":${goJsonString(pass)},"auth":${goJsonString(auth)}}}}`;
}

export function imagePullSecret(shape: PullSecretShape, credentials: string | Secret): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: shape.name, namespace: shape.namespace },
    stringData: { '.dockerconfigjson': dockerConfigJson(shape.registry, credentials) },
    type: shape.type,
  };
}
