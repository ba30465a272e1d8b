// Host key discovery with OpenSSH's ssh-keyscan, so the known_hosts Flux gets is exactly what
// an OpenSSH client sees. Like `flux bootstrap`, this trusts the network on first use: callers
// that can should pin a known_hosts instead.
import { exec } from '../git/exec';
import { KeyError } from './key-error';
import { knownHostsName, parseKnownHosts } from './known-hosts';

export interface ScanOptions {
  /** key types to ask for, in order of preference; default ed25519, ecdsa, rsa */
  algorithms?: Array<'ed25519' | 'ecdsa' | 'rsa'>;
  /** default 10000 */
  timeoutMs?: number;
}

const PREFERENCE = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'];

/** known_hosts lines for host:port ('[host]:port' names when port != 22), preferred type first. */
export async function scanKnownHosts(host: string, port = 22, opts: ScanOptions = {}): Promise<string[]> {
  if (!/^[A-Za-z0-9.:_-]+$/.test(host) || host.startsWith('-')) {
    throw new KeyError(`"${host}" is not a host name or address`, "give the git server's host name, without scheme or path");
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new KeyError(`port ${port} is out of range`, 'give a TCP port between 1 and 65535');
  }
  const algorithms = opts.algorithms ?? ['ed25519', 'ecdsa', 'rsa'];
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const args = ['-p', String(port), '-T', String(Math.max(1, Math.ceil(timeoutMs / 1000))), '-t', algorithms.join(','), '--', host];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
  const r = await exec('ssh-keyscan', args, { env, timeoutMs: timeoutMs + 2_000 }).catch((e: NodeJS.ErrnoException) => {
    throw new KeyError(
      e.code === 'ENOENT' ? 'ssh-keyscan was not found' : `ssh-keyscan could not run (${e.code ?? e.message})`,
      'install the OpenSSH client (Debian: apt-get install openssh-client), or give known_hosts yourself',
    );
  });
  const text = r.stdout.toString('utf8');
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const name = knownHostsName(host, port);
  if (lines.length === 0) {
    throw new KeyError(
      `no SSH host key received from ${name} within ${timeoutMs} ms` + (r.timedOut ? ' (timed out)' : ''),
      `check that an SSH server listens on ${host} port ${port}, or give known_hosts yourself`,
    );
  }
  const entries = parseKnownHosts(lines.join('\n'));
  const rank = (t: string) => {
    const i = PREFERENCE.indexOf(t);
    return i < 0 ? PREFERENCE.length : i;
  };
  return entries.sort((a, b) => rank(a.keyType) - rank(b.keyType)).map((e) => e.line);
}
