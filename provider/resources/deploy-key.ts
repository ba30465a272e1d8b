// DeployKey: an SSH key Flux pulls with, registered on the Git host, plus the host's known_hosts.
// A new `rotation` value replaces the key; Pulumi creates the replacement first, and the new
// key is registered under its own title, so the old key keeps working until it is deleted.
import type * as dyn from '@pulumi/pulumi/dynamic';
import { keyOptionProblems } from '../../schema/deploy-key-checks';
import { InputError } from '../errors';
import { repositoryUrls } from '../hosts/repository-urls';
import { deployKeyTitle } from '../hosts/titles';
import {
  checkPinnedHostKey,
  generateDeployKey,
  KeyError,
  parseKnownHosts,
  parsePrivateKey,
  scanKnownHosts,
  unlockPrivateKey,
} from '../keys';
import { text } from '../text';
import { asAsync, compact, hasUnknown, progress, scrubbed, stableJson, toFailures } from './common';
import { checkHostInputs, gitHostFor, pickHostInputs, repoRef, REPOSITORY_IDENTITY, type HostInputs } from './host-inputs';

export interface DeployKeyInputs extends HostInputs {
  token?: string;
  /** registered title; default flux's `<namespace>-<branch>-<secretName>-<path>` */
  title: string;
  readOnly: boolean;
  algorithm?: 'ed25519' | 'ecdsa' | 'rsa';
  curve?: 'p256' | 'p384' | 'p521';
  bits?: number;
  privateKey?: string;
  passphrase?: string;
  knownHosts?: string;
  /** the URL Flux pulls from; its host is scanned for known_hosts (default the host's ssh URL) */
  syncUrl?: string;
  /** any new value replaces the key */
  rotation?: string | number;
}

export interface DeployKeyOutputs extends DeployKeyInputs {
  publicKey: string;
  fingerprint: string;
  privateKey: string;
  knownHosts: string;
  /** the host's id of the registered key */
  keyId: string;
  /** the title it is registered under (rotated keys carry the rotation value) */
  registeredTitle: string;
  /** the key was generated here (not given) */
  generated: boolean;
  knownHostsGiven: boolean;
  /** nothing was registered: plain git without addKeyCommand */
  manual: boolean;
  /** what the last refresh found out of line on the host (the key deleted, its access changed) */
  drift?: string[];
}

const WHO = 'DeployKey';
export const DEFAULT_TITLE = deployKeyTitle({ namespace: 'flux-system', branch: 'main', secretName: 'flux-system' });

function keyProblem(field: string, e: unknown, secret: boolean): InputError {
  if (!(e instanceof KeyError)) throw e;
  return new InputError({ field, value: secret ? '[secret]' : undefined, reason: e.reason, remedy: e.remedy, secret });
}

export function checkKeyInputs(i: Record<string, unknown>): InputError[] {
  const errors: InputError[] = [];
  const known = (k: string) => i[k] !== undefined && !hasUnknown(i[k]);
  const bad = (field: string, reason: string, remedy: string) => errors.push(new InputError({ field, value: i[field], reason, remedy }));
  errors.push(...keyOptionProblems(i, (v) => !hasUnknown(v)));
  if (known('privateKey') && !hasUnknown(i.passphrase)) {
    try {
      parsePrivateKey(text(i.privateKey), i.passphrase === undefined ? undefined : text(i.passphrase));
    } catch (e) {
      errors.push(keyProblem('privateKey', e, true));
    }
  }
  if (known('knownHosts')) {
    try {
      parseKnownHosts(text(i.knownHosts));
    } catch (e) {
      errors.push(keyProblem('knownHosts', e, false));
    }
  }
  if (known('readOnly') && typeof i.readOnly !== 'boolean') bad('readOnly', 'must be a boolean', 'use true (Flux only reads) or false');
  if (known('title') && (typeof i.title !== 'string' || i.title.trim() === ''))
    bad('title', 'must be a non-empty string', `use e.g. "${DEFAULT_TITLE}"`);
  if (known('rotation') && typeof i.rotation !== 'string' && typeof i.rotation !== 'number')
    bad('rotation', 'must be a string or a number', 'use e.g. a date, "2026-01"');
  return errors;
}

export function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult> {
  return asAsync(() => {
    const inputs: Record<string, unknown> = { title: DEFAULT_TITLE, readOnly: true, ...news };
    if (inputs.privateKey === undefined && inputs.algorithm === undefined) inputs.algorithm = 'ed25519';
    return { inputs, failures: toFailures([...checkHostInputs(inputs), ...checkKeyInputs(inputs)]) };
  });
}

/** Inputs that change the key itself: a new key replaces the old one. */
const KEY_IDENTITY = ['rotation', 'algorithm', 'curve', 'bits'];

export function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.DiffResult> {
  return asAsync(() => {
    const o = olds as unknown as DeployKeyOutputs;
    const differs = (k: string) => hasUnknown(news[k]) || stableJson(olds[k]) !== stableJson(news[k]);
    const replaces = [...REPOSITORY_IDENTITY, ...KEY_IDENTITY].filter(differs);
    // privateKey and knownHosts are outputs too: compare with what was given, not what was made
    const keyChanged =
      news.privateKey === undefined ? !o.generated : hasUnknown(news.privateKey) || o.generated || o.privateKey !== news.privateKey;
    if (keyChanged) replaces.push('privateKey');
    const knownHostsChanged =
      news.knownHosts === undefined ? o.knownHostsGiven : hasUnknown(news.knownHosts) || o.knownHosts !== news.knownHosts;
    const updates = [
      'title',
      'readOnly',
      'token',
      'passphrase',
      'syncUrl',
      'sshHost',
      'syncTransport',
      'addKeyCommand',
      'removeKeyCommand',
    ].filter(differs);
    if (knownHostsChanged) updates.push('knownHosts');
    if ((o.drift ?? []).length > 0) updates.push('drift');
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
  });
}

interface KeyMaterial {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
  algorithm: string;
}

async function keyOf(i: DeployKeyInputs): Promise<KeyMaterial & { generated: boolean }> {
  try {
    if (i.privateKey !== undefined) {
      const k = await unlockPrivateKey(i.privateKey, i.passphrase);
      return {
        privateKey: i.privateKey,
        publicKey: k.parsed.publicKey,
        fingerprint: k.parsed.fingerprint,
        algorithm: k.parsed.algorithm,
        generated: false,
      };
    }
    const k = generateDeployKey({ algorithm: i.algorithm, curve: i.curve, bits: i.bits });
    return { privateKey: k.privateKeyPem, publicKey: k.publicKey, fingerprint: k.fingerprint, algorithm: k.algorithm, generated: true };
  } catch (e) {
    if (e instanceof KeyError) throw keyProblem(i.privateKey !== undefined ? 'privateKey' : 'algorithm', e, i.privateKey !== undefined);
    throw e;
  }
}

/** The URL Flux pulls from, for the host key scan: the repository's ssh URL, as Repository derives it. */
function syncUrlOf(i: DeployKeyInputs): string {
  return i.syncUrl || repositoryUrls(pickHostInputs(i as unknown as Record<string, unknown>)).sshUrl;
}

/** Given known_hosts, else the first (preferred) host key of the sync URL's host, like flux.
 *  `pinned`: what an earlier run recorded; it is kept while the server still presents it, and a
 *  server that presents another key is an error naming both (never a silent re-scan). */
async function knownHostsOf(i: DeployKeyInputs, pinned?: string): Promise<string> {
  if (i.knownHosts !== undefined) return i.knownHosts;
  const url = syncUrlOf(i);
  if (!/^ssh:\/\//.test(url)) return '';
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : 22;
  const lines = await scanKnownHosts(host, port);
  if (pinned) {
    if (checkPinnedHostKey(pinned, lines, host, port).kind === 'same') return pinned;
    progress(WHO, `the sync URL's host ${u.host} is not the pinned one: pinning its key`);
  }
  progress(WHO, `scanned the host key of ${u.host}: ${lines[0].split(' ').slice(1, 2).join('')}`);
  return lines[0];
}

function titleOf(i: DeployKeyInputs): string {
  return i.rotation === undefined || i.rotation === '' ? i.title : `${i.title}-${i.rotation}`;
}

async function register(i: DeployKeyInputs, publicKey: string): Promise<{ keyId: string; manual: boolean; registeredTitle: string }> {
  const host = gitHostFor(pickHostInputs(i as unknown as Record<string, unknown>), i.token, WHO);
  const registeredTitle = titleOf(i);
  const r = await host.upsertDeployKey({ ...repoRef(i), title: registeredTitle, publicKey, readOnly: i.readOnly });
  return { keyId: r.id, manual: r.manual === true, registeredTitle };
}

export async function create(inputs: Record<string, unknown>): Promise<dyn.CreateResult> {
  const i = inputs as unknown as DeployKeyInputs;
  try {
    const key = await keyOf(i);
    const knownHosts = await knownHostsOf(i);
    const reg = await register(i, key.publicKey);
    progress(WHO, `${reg.manual ? 'not registered (register it yourself)' : 'registered'} ${key.fingerprint} as "${reg.registeredTitle}"`);
    const outs: DeployKeyOutputs = {
      ...i,
      ...key,
      knownHosts,
      ...reg,
      knownHostsGiven: i.knownHosts !== undefined,
      algorithm: key.algorithm as DeployKeyOutputs['algorithm'],
      drift: [],
    };
    if (!key.generated) delete outs.algorithm;
    return { id: reg.manual ? key.fingerprint : reg.keyId, outs: compact({ ...outs }) };
  } catch (e) {
    throw scrubbed(e, [i.token, i.privateKey, i.passphrase]);
  }
}

/** Asks the host for the registered key by id (one request): a key deleted there, or given
 *  other access, is drift, and the next `up` registers it again. */
export async function read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult> {
  const p = props as unknown as DeployKeyOutputs;
  if (p.manual || !p.keyId) return { id, props };
  try {
    const host = gitHostFor(pickHostInputs(props), p.token, WHO);
    if (!host.getDeployKey) return { id, props };
    const found = await host.getDeployKey({ ...repoRef(p), id: p.keyId });
    const where = `on ${host.hostLabel}`;
    const drift = !found
      ? [`deploy key ${p.fingerprint} ("${p.registeredTitle}") is no longer registered ${where}`]
      : found.readOnly !== (p.readOnly !== false)
        ? [`deploy key ${p.fingerprint} is registered ${found.readOnly ? 'read-only' : 'read-write'} ${where}`]
        : [];
    if (drift.length) progress(WHO, `drift: ${drift.join(', ')}`);
    // a state from before drift was recorded stays as it is when nothing drifted
    return { id, props: drift.length === 0 && p.drift === undefined ? props : compact({ ...props, drift }) };
  } catch (e) {
    throw scrubbed(e, [p.token, p.privateKey, p.passphrase]);
  }
}

export async function update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.UpdateResult> {
  const o = olds as unknown as DeployKeyOutputs;
  const i = news as unknown as DeployKeyInputs;
  try {
    const knownHosts = await knownHostsOf(i, o.knownHosts || undefined);
    const reg = await register(i, o.publicKey);
    if (o.keyId && reg.keyId !== o.keyId && !o.manual) {
      // the title or access changed, or the key was deleted on the host: it has a new id now
      progress(WHO, `re-registered ${o.fingerprint} as "${reg.registeredTitle}"`);
    }
    const outs = {
      ...i,
      privateKey: o.privateKey,
      publicKey: o.publicKey,
      fingerprint: o.fingerprint,
      generated: o.generated,
      ...(o.generated ? { algorithm: o.algorithm } : {}),
      knownHosts,
      knownHostsGiven: i.knownHosts !== undefined,
      ...reg,
      drift: [],
    };
    return { outs: compact(outs) };
  } catch (e) {
    throw scrubbed(e, [i.token, i.privateKey, i.passphrase, o.privateKey]);
  }
}

export async function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  const p = props as unknown as DeployKeyOutputs;
  if (p.manual) {
    progress(WHO, `remove the deploy key ${p.fingerprint} ("${p.registeredTitle}") from the Git server yourself`);
    return;
  }
  try {
    const host = gitHostFor(pickHostInputs(props), p.token, WHO);
    // by id, never by title: a replacement may already hold a key with the same title
    await host.deleteDeployKey({ ...repoRef(p), id: p.keyId });
    progress(WHO, `deleted deploy key ${p.fingerprint} ("${p.registeredTitle}")`);
  } catch (e) {
    throw scrubbed(e, [p.token, p.privateKey, p.passphrase]);
  }
}

export { remove as delete };
