// The provider's own configuration (`flux-bootstrap:<key>` in stack config, or the inputs of an
// explicit `flux-bootstrap` provider resource): defaults the resources take when they leave the
// input unset. Applied in check, so the stored inputs show what was used.
import { InputError } from '../errors';
import { toFailures, type Failure } from '../resources/common';
import type { ResourceKind } from './resources';

export interface ProviderConfig {
  /** API token for Repository and DeployKey on github, gitlab or gitea (secret) */
  token?: string;
  /** where the Flux release manifests come from (directory, tarball or release URL) */
  distribution?: string;
  /** "sha256:<hex>" of a downloaded release archive */
  distributionDigest?: string;
  /** SyncManifests' push credentials (`auth`) when unset: {privateKey, knownHosts} or
   *  {username, password} (secret; JSON in stack config) */
  gitAuth?: Record<string, unknown>;
  /** ControllerInstall's cluster when unset, and for import: {kubeconfig} or {kubeconfigPath,
   *  context} or inline fields (secret; JSON in stack config) */
  cluster?: Record<string, unknown>;
}

export const CONFIG_KEYS: (keyof ProviderConfig)[] = ['token', 'distribution', 'distributionDigest', 'gitAuth', 'cluster'];
export const SECRET_CONFIG: (keyof ProviderConfig)[] = ['token', 'gitAuth', 'cluster'];
const OBJECT_CONFIG: (keyof ProviderConfig)[] = ['gitAuth', 'cluster'];

/** Config values from Configure's args, or from its `flux-bootstrap:<key>` variables. */
export function configFrom(args: Record<string, unknown> | undefined, variables: Map<string, string> | undefined): ProviderConfig {
  const out: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) {
    const v = args?.[k] ?? variables?.get(`flux-bootstrap:config:${k}`) ?? variables?.get(`flux-bootstrap:${k}`);
    if (v === undefined || v === null || v === '') continue;
    // object settings arrive as JSON text in the variables
    out[k] = OBJECT_CONFIG.includes(k) && typeof v === 'string' ? parseJson(v) : v;
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function checkConfig(news: Record<string, unknown>): Failure[] {
  const errors: InputError[] = [];
  for (const [k, v] of Object.entries(news)) {
    if (k === 'version') continue; // the plugin version the engine passes along
    if (!(CONFIG_KEYS as string[]).includes(k)) {
      errors.push(
        new InputError({
          field: k,
          value: v,
          reason: 'is not a flux-bootstrap provider setting',
          remedy: `use one of ${CONFIG_KEYS.join(', ')}`,
        }),
      );
    } else if (OBJECT_CONFIG.includes(k as keyof ProviderConfig)) {
      const obj = typeof v === 'string' ? parseJson(v) : v;
      const example =
        k === 'cluster' ? '{"kubeconfig": "..."}' : '{"privateKey": "...", "knownHosts": "..."} or {"username": "...", "password": "..."}';
      if (!obj || typeof obj !== 'object')
        errors.push(
          new InputError({ field: k, value: '[secret]', reason: 'must be a JSON object', remedy: `give ${example}`, secret: true }),
        );
    } else if (typeof v !== 'string') {
      errors.push(
        new InputError({
          field: k,
          value: v,
          reason: 'must be a string',
          remedy: 'give a string value',
          secret: SECRET_CONFIG.includes(k as keyof ProviderConfig),
        }),
      );
    }
  }
  return toFailures(errors);
}

/** news with the config's defaults for the inputs this kind takes and the program left unset. */
export function withConfigDefaults(kind: ResourceKind, news: Record<string, unknown>, config: ProviderConfig): Record<string, unknown> {
  const out = { ...news };
  const setIfAbsent = (k: keyof ProviderConfig) => {
    if (out[k] === undefined && config[k] !== undefined) out[k] = config[k];
  };
  if ((kind.name === 'Repository' || kind.name === 'DeployKey') && out.host !== 'git') setIfAbsent('token');
  if (kind.name === 'SyncManifests' || kind.name === 'ControllerInstall' || kind.name === 'ControllerPreinstall') {
    setIfAbsent('distribution');
    setIfAbsent('distributionDigest');
  }
  if (kind.name === 'SyncManifests' && out.auth === undefined && config.gitAuth !== undefined) out.auth = config.gitAuth;
  if (
    (kind.name === 'ControllerInstall' || kind.name === 'ControllerPreinstall') &&
    out.cluster === undefined &&
    config.cluster !== undefined
  )
    out.cluster = config.cluster;
  return out;
}
