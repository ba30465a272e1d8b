// OciSyncManifests: the files SyncManifests would commit under <path>/<namespace>/, pushed as
// one OCI artifact in `flux push artifact`'s format to oci://<registry>/<repository>:<tag>
// (gitless bootstrap). check renders the files and the layer digest (no network), diff compares
// digests only, refresh is one manifest HEAD (the OCI ls-remote), and a push happens only when
// the layer changed or the tag no longer holds what this resource pushed.
import type * as dyn from '@pulumi/pulumi/dynamic';
import { checkOciUrl, isOciUrl, splitOciUrl } from '../../schema/oci-url';
import type { DesiredState } from '../desired-state';
import { InputError, InputErrors } from '../errors';
import { contentLayer, fluxArtifact } from '../oci/artifact';
import { RegistryClient, type RegistryAuth } from '../oci/registry';
import { asAsync, compact, failuresFrom, hasUnknown, progress, scrubbed, stableJson, toFailures } from './common';
import {
  checkOptions,
  distributionProblem,
  INSTALL_FIELDS,
  pickOptions,
  renderDesired,
  SYNC_FIELDS,
  unknownFields,
} from './engine-options';

export interface RegistryAuthInputs {
  username?: string;
  password?: string;
  /** PEM of a private CA the registry's certificate is signed by */
  caPem?: string;
}

export interface OciSyncManifestsInputs {
  auth?: RegistryAuthInputs;
  distribution?: string;
  distributionDigest?: string;
  /** computed by check: the digest of the layer the files make */
  layerDigest?: string;
  [option: string]: unknown;
}

export interface OciSyncManifestsOutputs extends OciSyncManifestsInputs {
  /** the manifest digest the tag points at when last observed */
  digest: string;
  /** the manifest digest this resource last pushed (or found holding its layer) */
  pushedDigest: string;
  /** `<tag>@<digest>`: what Flux's OCIRepository and Kustomization report once reconciled */
  revision: string;
  version: string;
  directory: string;
}

const WHO = 'OciSyncManifests';
const FIELDS = [...INSTALL_FIELDS, ...SYNC_FIELDS];
const say = (m: string) => progress(WHO, m);

function checkAuth(auth: unknown): InputError[] {
  if (auth === undefined || hasUnknown(auth)) return [];
  if (typeof auth !== 'object' || auth === null || Array.isArray(auth)) {
    return [
      new InputError({
        field: 'auth',
        value: auth,
        secret: true,
        reason: 'must be an object',
        remedy: 'give {username, password} of a registry user that may push, and caPem for a private CA',
      }),
    ];
  }
  const a = auth as Record<string, unknown>;
  const errors: InputError[] = [];
  for (const k of Object.keys(a)) {
    if (!['username', 'password', 'caPem'].includes(k))
      errors.push(
        new InputError({
          field: `auth.${k}`,
          value: undefined,
          reason: 'is not a known option',
          remedy: 'use username, password and caPem',
        }),
      );
  }
  if ((a.username === undefined) !== (a.password === undefined)) {
    errors.push(
      new InputError({
        field: a.username === undefined ? 'auth.username' : 'auth.password',
        value: undefined,
        reason: 'is required with the other',
        remedy: 'give both username and password (a token goes in password), or neither for a registry that needs none',
      }),
    );
  }
  return errors;
}

function urlProblems(url: unknown): InputError[] {
  if (typeof url !== 'string' || hasUnknown(url)) return [];
  if (!isOciUrl(url)) {
    return [
      new InputError({
        field: 'url',
        value: url,
        reason: 'is not an oci:// URL: OciSyncManifests pushes the manifests to a registry',
        remedy: 'give oci://<registry>/<repository>:<tag>, or use SyncManifests to commit to Git',
      }),
    ];
  }
  const errors: InputError[] = [];
  checkOciUrl(url, errors);
  return errors;
}

export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult> {
  const inputs: Record<string, unknown> = { ...news };
  delete inputs.layerDigest;
  const options = pickOptions(inputs, FIELDS);
  const errors = [...urlProblems(inputs.url), ...checkOptions(options).filter((e) => e.field !== 'url'), ...checkAuth(inputs.auth)];
  if (errors.length > 0 || unknownFields(options).length > 0 || hasUnknown(inputs.distribution) || hasUnknown(inputs.distributionDigest)) {
    return { inputs, failures: toFailures(errors) };
  }
  let desired: DesiredState;
  try {
    desired = await renderDesired(options, inputs);
  } catch (e) {
    return {
      inputs,
      failures:
        e instanceof InputError || e instanceof InputErrors
          ? failuresFrom(e)
          : toFailures([distributionProblem(e, inputs.distribution as string)]),
    };
  }
  inputs.layerDigest = contentLayer(desired.files).digest;
  void olds;
  return { inputs, failures: [] };
}

export function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.DiffResult> {
  return asAsync(() => {
    const o = olds as OciSyncManifestsOutputs;
    const n = news as OciSyncManifestsInputs;
    const content = n.layerDigest === undefined || n.layerDigest !== o.layerDigest;
    // refresh found the tag moved (someone else pushed, or it was deleted): push ours again
    const moved = o.digest !== o.pushedDigest;
    const settings = ['url', 'auth', 'oci'].some((k) => hasUnknown(news[k]) || stableJson(olds[k]) !== stableJson(news[k]));
    return { changes: content || moved || settings, replaces: [], deleteBeforeReplace: false };
  });
}

/** mode 'push' for create and update: their read and push share one token on a token registry */
function clientOf(p: OciSyncManifestsInputs, mode: 'pull' | 'push' = 'pull'): RegistryClient {
  const parts = splitOciUrl(String(p.url))!;
  const auth: RegistryAuth = {
    username: p.auth?.username,
    password: p.auth?.password,
    caPem: p.auth?.caPem,
    insecure: (p.oci as { insecure?: boolean } | undefined)?.insecure === true,
  };
  return new RegistryClient({ registry: parts.registry, repository: parts.repository, tag: parts.tag ?? 'latest' }, auth, mode);
}

const tagOf = (p: OciSyncManifestsInputs) => splitOciUrl(String(p.url))?.tag ?? 'latest';

/** Pushes the artifact unless the tag already holds this layer; one GET when it does. */
async function apply(p: OciSyncManifestsInputs): Promise<OciSyncManifestsOutputs> {
  const desired = await renderDesired(pickOptions(p, FIELDS), p);
  const client = clientOf(p, 'push');
  const layer = contentLayer(desired.files);
  const found = await client.manifest();
  let digest: string;
  if (found && found.layers.length === 1 && found.layers[0] === layer.digest) {
    digest = found.digest;
    say(`${String(p.url)} already holds these files (${digest.slice(0, 19)}): nothing pushed`);
  } else {
    const artifact = fluxArtifact(desired.files, {
      source: String(p.url),
      revision: `${desired.version}@${layer.digest}`,
      created: new Date(),
    });
    digest = await client.push(artifact);
    say(
      `pushed ${String(p.url)}@${digest.slice(0, 19)} (${Object.keys(desired.files).length} files, ${client.requests} registry requests)`,
    );
  }
  return {
    ...p,
    layerDigest: layer.digest,
    digest,
    pushedDigest: digest,
    revision: `${tagOf(p)}@${digest}`,
    version: desired.version,
    directory: desired.directory,
  };
}

const secretsOf = (p: OciSyncManifestsInputs) => [p.auth?.password];

export async function create(inputs: Record<string, unknown>): Promise<dyn.CreateResult> {
  const p = inputs as OciSyncManifestsInputs;
  try {
    const outs = await apply(p);
    return { id: `${String(p.url)}:${outs.directory}`, outs: compact(outs as unknown as Record<string, unknown>) };
  } catch (e) {
    throw scrubbed(e, secretsOf(p));
  }
}

export async function update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.UpdateResult> {
  const p = news as OciSyncManifestsInputs;
  try {
    return { outs: compact((await apply(p)) as unknown as Record<string, unknown>) };
  } catch (e) {
    throw scrubbed(e, [...secretsOf(p), ...secretsOf(olds)]);
  }
}

/** Refresh: one HEAD of the tag's manifest. */
export async function read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult> {
  const p = props as OciSyncManifestsOutputs;
  try {
    const digest = (await clientOf(p).manifestDigest()) ?? '';
    if (digest === p.digest) return { id, props };
    say(
      digest
        ? `drift: ${String(p.url)} now points at ${digest.slice(0, 19)}, not at the pushed ${p.pushedDigest.slice(0, 19)}`
        : `drift: ${String(p.url)} is gone`,
    );
    return { id, props: { ...props, digest } };
  } catch (e) {
    throw scrubbed(e, secretsOf(p));
  }
}

/** The artifact stays in the registry: tags are often immutable there, and Flux may still pull it. */
export function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  return asAsync(() => {
    say(`left ${String(props.url)} in the registry (destroy does not delete artifacts)`);
  });
}

export { remove as delete };
