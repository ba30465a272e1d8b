// The pure side of ControllerInstall: hashes of the desired objects (so diff needs no cluster),
// the objects refresh watches, the Secrets built from the credentials, and drift judged from
// what refresh read. No I/O here.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../cluster';
import type { DesiredState } from '../desired-state';
import { imagePullSecret, ociSourceSecret, sourceSecret, type SourceCredentials } from '../generate/secrets';
import { stableJson } from './common';

export interface CredentialsInputs {
  /** ssh: the deploy key (identity), its public key (identity.pub) and known_hosts */
  privateKey?: string;
  publicKey?: string;
  knownHosts?: string;
  passphrase?: string;
  /** https */
  username?: string;
  password?: string;
  bearerToken?: string;
  caPem?: string;
  /** GitHub App (the GitRepository has provider: github); the base URL only for Enterprise */
  githubAppId?: string;
  githubAppInstallationId?: string;
  githubAppPrivateKey?: string;
  githubAppBaseUrl?: string;
}

/** An object refresh GETs, with the generation our apply left it at. */
export interface Watched {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  generation?: number;
}

const SYNC_KINDS = new Set(['GitRepository', 'OCIRepository', 'Kustomization']);
const WATCHED_KINDS = new Set(['Namespace', 'CustomResourceDefinition', 'Deployment', 'GitRepository', 'OCIRepository', 'Kustomization']);

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function describe(o: { kind: string; namespace?: string; name: string }): string {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

function refOf(o: KubeObject): Watched {
  const w: Watched = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name };
  if (o.metadata.namespace) w.namespace = o.metadata.namespace;
  return w;
}

export function objectsOf(d: DesiredState): KubeObject[] {
  return d.objects as unknown as KubeObject[];
}

/** One hash over every desired object in apply order: equal hashes, nothing to apply. */
export function objectsHash(d: DesiredState): string {
  return sha256(stableJson(objectsOf(d)));
}

/** `Kind/ns/name` -> hash, for the plan's per-object summary. */
export function objectHashes(d: DesiredState): Record<string, string> {
  return Object.fromEntries(objectsOf(d).map((o) => [describe(refOf(o)), sha256(stableJson(o))]));
}

/** The components (applied first), and the source (GitRepository or OCIRepository) and Kustomization (applied after the Secret). */
export function splitObjects(d: DesiredState): { components: KubeObject[]; sync: KubeObject[] } {
  const all = objectsOf(d);
  return { components: all.filter((o) => !SYNC_KINDS.has(o.kind)), sync: all.filter((o) => SYNC_KINDS.has(o.kind)) };
}

/** The objects refresh reads, with generations from the objects the apply returned. */
export function watchedOf(d: DesiredState, live: ReadonlyMap<string, KubeObject>): Watched[] {
  return objectsOf(d)
    .filter((o) => WATCHED_KINDS.has(o.kind))
    .map((o) => {
      const w = refOf(o);
      const g = live.get(describe(w))?.metadata.generation;
      return g === undefined ? w : { ...w, generation: g };
    });
}

export function toSourceCredentials(c: CredentialsInputs): SourceCredentials {
  if (c.githubAppId !== undefined) {
    return {
      githubApp: {
        appId: String(c.githubAppId),
        installationId: String(c.githubAppInstallationId ?? ''),
        privateKey: c.githubAppPrivateKey ?? '',
        baseUrl: c.githubAppBaseUrl,
      },
    };
  }
  if (c.privateKey !== undefined) {
    return { ssh: { identity: c.privateKey, identityPub: c.publicKey ?? '', knownHosts: c.knownHosts ?? '', password: c.passphrase } };
  }
  if (c.bearerToken !== undefined) return { bearerToken: c.bearerToken };
  return { basicAuth: { username: c.username ?? 'git', password: c.password ?? '' } };
}

/** The Secrets to apply: the source secret, and the image pull secret when credentials are given. */
export function secretsOf(d: DesiredState, creds: CredentialsInputs, registryCredentials?: string): KubeObject[] {
  const source =
    d.sourceKind === 'oci'
      ? ociSourceSecret(d.secretShape.source, creds, creds.caPem)
      : sourceSecret(d.secretShape.source, toSourceCredentials(creds), creds.caPem);
  const out = source ? [source as unknown as KubeObject] : [];
  if (d.secretShape.imagePull && registryCredentials)
    out.push(imagePullSecret(d.secretShape.imagePull, registryCredentials) as unknown as KubeObject);
  return out;
}

/** base64 data of a Secret built from stringData, to compare with what the cluster holds. */
export function secretData(secret: KubeObject): Record<string, string> {
  const s = (secret.stringData ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}

export interface Observed {
  /** describe(watched) -> the live object, or undefined when missing */
  objects: Map<string, KubeObject | undefined>;
  /** secret name -> live data, or undefined when missing */
  secrets: Map<string, Record<string, string> | undefined>;
}

/**
 * What refresh found out of line, one short phrase each: missing objects, objects whose spec
 * someone changed (the generation moved), Secrets whose data differ, and (when readiness is
 * checked) a sync that is not Ready.
 */
export function judgeDrift(watched: Watched[], expectedSecrets: KubeObject[], seen: Observed, checkReadiness: boolean): string[] {
  const drift: string[] = [];
  for (const w of watched) {
    const key = describe(w);
    const live = seen.objects.get(key);
    if (!live) {
      drift.push(`missing ${key}`);
      continue;
    }
    if (w.generation !== undefined && live.metadata.generation !== undefined && live.metadata.generation !== w.generation)
      drift.push(`changed ${key}`);
    if (checkReadiness && SYNC_KINDS.has(w.kind)) {
      const ready = (
        (live.status as { conditions?: { type: string; status: string; message?: string }[] } | undefined)?.conditions ?? []
      ).find((c) => c.type === 'Ready');
      if (ready?.status !== 'True') drift.push(`not ready ${key}${ready?.message ? `: ${ready.message.slice(0, 200)}` : ''}`);
    }
  }
  for (const s of expectedSecrets) {
    const key = describe(refOf(s));
    const live = seen.secrets.get(key);
    if (!live) drift.push(`missing ${key}`);
    else if (stableJson(live) !== stableJson(secretData(s))) drift.push(`changed ${key}`);
  }
  return drift;
}

/** Object-level summary between two renderings, e.g. "update 4 (Deployment/flux-system/...), create 1". */
export function objectPlan(before: Record<string, string> | undefined, after: Record<string, string>): string {
  if (!before) return `apply ${Object.keys(after).length} objects`;
  const created = Object.keys(after).filter((k) => !(k in before));
  const updated = Object.keys(after).filter((k) => k in before && before[k] !== after[k]);
  const deleted = Object.keys(before).filter((k) => !(k in after));
  const part = (verb: string, list: string[]) =>
    list.length ? `${verb} ${list.length} (${list.slice(0, 6).join(', ')}${list.length > 6 ? ', ...' : ''})` : '';
  return [part('create', created), part('update', updated), part('delete', deleted)].filter(Boolean).join('; ');
}
