// known_hosts parsing and matching (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): validates a
// user-given known_hosts before anything connects, and tells whether it covers a host.
import { createHmac } from 'node:crypto';
import { KeyError } from './key-error';
import { fingerprintOf, parsePublicBlob } from './public-key';

export interface KnownHostEntry {
  /** '@cert-authority' or '@revoked' when present */
  marker?: string;
  /** host patterns as written: 'github.com', '[127.0.0.1]:2222', '|1|salt|hash', '*.example' */
  hosts: string[];
  keyType: string;
  /** base64 key blob */
  key: string;
  fingerprint: string;
  /** normalised line: hosts, type and key (no comment) */
  line: string;
}

const REMEDY = 'give lines in known_hosts form ("[host]:port ssh-ed25519 AAAA..."), e.g. the output of: ssh-keyscan -p <port> <host>';

export function parseKnownHosts(text: string): KnownHostEntry[] {
  if (typeof text !== 'string') throw new KeyError('known_hosts must be text', REMEDY);
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
    if (marker && marker !== '@cert-authority' && marker !== '@revoked') {
      throw new KeyError(`known_hosts line ${i + 1}: unknown marker ${marker}`, 'use @cert-authority or @revoked, or no marker');
    }
    if (fields.length < 3) throw new KeyError(`known_hosts line ${i + 1} needs host, key type and key`, REMEDY);
    const [hostField, keyType, key] = fields;
    let blobType: string;
    let fingerprint: string;
    try {
      const blob = Buffer.from(key, 'base64');
      if (blob.toString('base64') !== key) throw new Error('bad base64');
      blobType = parsePublicBlob(blob).sshType;
      fingerprint = fingerprintOf(blob);
    } catch (e) {
      throw new KeyError(`known_hosts line ${i + 1}: the key is not a valid ${keyType} key (${(e as Error).message})`, REMEDY);
    }
    if (blobType !== keyType) {
      throw new KeyError(`known_hosts line ${i + 1}: key type ${keyType} does not match the key (${blobType})`, REMEDY);
    }
    const hosts = hostField.split(',');
    for (const h of hosts) {
      if (h === '' || (/^\[/.test(h) && !/^\[[^\]]+\]:\d+$/.test(h))) {
        throw new KeyError(
          `known_hosts line ${i + 1}: bad host pattern "${h}"`,
          'write a host as name, or [name]:port for ports other than 22',
        );
      }
    }
    const norm = `${hostField} ${keyType} ${key}`;
    entries.push({ ...(marker ? { marker } : {}), hosts, keyType, key, fingerprint, line: marker ? `${marker} ${norm}` : norm });
  });
  if (entries.length === 0) throw new KeyError('known_hosts has no host key', REMEDY);
  return entries;
}

/** The name ssh looks up: 'host' on port 22, '[host]:port' otherwise. */
export function knownHostsName(host: string, port = 22): string {
  const h = host.replace(/^\[|\]$/g, '');
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Entries (not revoked, not CA) that apply to host:port, as ssh matches them. */
export function entriesFor(entries: KnownHostEntry[], host: string, port = 22): KnownHostEntry[] {
  const name = knownHostsName(host, port);
  return entries.filter((e) => !e.marker && hostListMatches(e.hosts, name));
}

function hostListMatches(patterns: string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    const pat = negated ? p.slice(1) : p;
    if (!patternMatches(pat, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  const re = new RegExp(
    '^' +
      pattern
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return re.test(name.toLowerCase());
}
