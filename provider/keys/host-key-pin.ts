// A host key pinned at create is kept: later runs compare what the server presents now with
// the pin, and a different key is an error (as ssh's "REMOTE HOST IDENTIFICATION HAS CHANGED"),
// never a silent re-scan that would hand Flux whatever key answered today.
import { KeyError } from './key-error';
import { entriesFor, knownHostsName, parseKnownHosts } from './known-hosts';

export type PinCheck =
  /** the pin covers the host and the server still presents one of its keys */
  | { kind: 'same' }
  /** the pin does not name this host (the sync URL moved): there is nothing to compare */
  | { kind: 'other-host' };

/**
 * Compares a pinned known_hosts with the lines a scan of host:port returned. Throws a KeyError
 * naming both fingerprints (SHA256 form, as `ssh-keygen -l` prints them) when the server no
 * longer presents any pinned key.
 */
export function checkPinnedHostKey(pinned: string, scanned: string[], host: string, port = 22): PinCheck {
  const pins = entriesFor(parseKnownHosts(pinned), host, port);
  if (pins.length === 0) return { kind: 'other-host' };
  const now = entriesFor(parseKnownHosts(scanned.join('\n')), host, port);
  const presented = new Set(now.map((e) => `${e.keyType} ${e.key}`));
  if (pins.some((p) => presented.has(`${p.keyType} ${p.key}`))) return { kind: 'same' };
  const name = knownHostsName(host, port);
  const list = (xs: typeof pins) => xs.map((e) => `${e.keyType} ${e.fingerprint}`).join(', ');
  throw new KeyError(
    `the SSH host key of ${name} changed: pinned ${list(pins)}, the server now presents ${list(now) || 'no key'}`,
    `if the server's key was replaced on purpose, check the new fingerprint with its operator (ssh-keygen -lf), then give it as knownHosts (e.g. the output of: ssh-keyscan -p ${port} ${host.replace(/^\[|\]$/g, '')}); otherwise someone may be intercepting the connection: do not proceed`,
  );
}
