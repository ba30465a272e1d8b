// Credentials for one git operation. SSH keys and known_hosts become files in the operation's
// 0700 temp dir; HTTPS credentials become an Authorization header handed to git through
// GIT_CONFIG_* environment variables, never argv (visible to every user in `ps`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exec } from './exec';
import { unlockPrivateKey } from '../keys/unlock';
import { Secret } from '../secret';
import { KeyError } from '../keys/key-error';
import { parseKnownHosts } from '../keys/known-hosts';
import { GitError } from './git-error';
import { writePrivate } from './tempdir';

/** Secrets may come wrapped (provider/secret.ts), so they cannot leak on the way here. */
export type SecretValue = string | Secret<string>;

export type GitAuth =
  /** privateKey: PEM (PKCS#1, PKCS#8, SEC1) or OpenSSH; knownHosts: known_hosts lines */
  | { kind: 'ssh'; privateKey: SecretValue; passphrase?: SecretValue; knownHosts: string }
  | { kind: 'https'; username?: string; password?: SecretValue; bearerToken?: SecretValue; caPem?: string }
  /** no credentials: file:// URLs (tests, local mirrors) or public repositories */
  | { kind: 'none' };

const reveal = (v: SecretValue | undefined): string | undefined => (v === undefined ? undefined : Secret.unwrap(v));

export interface PreparedAuth {
  /** git config entries (key, value) passed through GIT_CONFIG_COUNT */
  config: Array<[string, string]>;
  env: Record<string, string>;
  /** values the redactor must remove from any text */
  secrets: string[];
  keyFingerprint?: string;
  /** stops what the auth started (the SSH connection master) */
  cleanup?: () => Promise<void>;
}

/** POSIX shell single-quoting, for the one place git hands a string to sh (GIT_SSH_COMMAND). */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function prepareAuth(auth: GitAuth, dir: string): Promise<PreparedAuth> {
  switch (auth?.kind) {
    case 'none':
      return { config: [], env: {}, secrets: [] };
    case 'https':
      return prepareHttps(auth, dir);
    case 'ssh':
      return prepareSsh(auth, dir);
    default:
      throw new GitError(
        'input',
        'git auth must have kind "ssh", "https" or "none"',
        'give an auth object such as {kind: "ssh", privateKey, knownHosts}',
      );
  }
}

function prepareHttps(wrapped: Extract<GitAuth, { kind: 'https' }>, dir: string): PreparedAuth {
  const auth = { ...wrapped, password: reveal(wrapped.password), bearerToken: reveal(wrapped.bearerToken) };
  const config: Array<[string, string]> = [];
  const secrets: string[] = [];
  if (auth.bearerToken && (auth.password || auth.username)) {
    throw new GitError('input', 'give either a bearer token or a username and password, not both', 'remove one of them');
  }
  if (auth.bearerToken) {
    config.push(['http.extraHeader', `Authorization: Bearer ${auth.bearerToken}`]);
    secrets.push(auth.bearerToken);
  } else if (auth.password) {
    // git hosts accept any username with a token; 'git' is what flux uses for GitHub/GitLab/Gitea.
    const basic = Buffer.from(`${auth.username ?? 'git'}:${auth.password}`).toString('base64');
    config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
    secrets.push(auth.password, basic);
  } else if (auth.username) {
    throw new GitError('input', 'a username was given without a password or token', 'give the password or token too');
  }
  if (auth.caPem) {
    if (!auth.caPem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new GitError('input', 'caPem is not a PEM certificate', 'give the CA certificate in PEM form ("-----BEGIN CERTIFICATE-----")');
    }
    const ca = path.join(dir, 'ca.pem');
    writePrivate(ca, auth.caPem);
    config.push(['http.sslCAInfo', ca]);
  }
  return { config, env: {}, secrets };
}

async function prepareSsh(wrapped: Extract<GitAuth, { kind: 'ssh' }>, dir: string): Promise<PreparedAuth> {
  const auth = { ...wrapped, privateKey: reveal(wrapped.privateKey) ?? '', passphrase: reveal(wrapped.passphrase) };
  if (!auth.knownHosts || !auth.knownHosts.trim()) {
    throw new GitError(
      'input',
      'SSH auth needs known_hosts (host key checking is never disabled)',
      'give knownHosts, e.g. the output of `ssh-keyscan -p <port> <host>` after checking its fingerprint',
    );
  }
  let unlocked;
  try {
    parseKnownHosts(auth.knownHosts);
    unlocked = await unlockPrivateKey(auth.privateKey, auth.passphrase);
  } catch (e) {
    if (e instanceof KeyError) throw new GitError('input', e.reason, e.remedy);
    throw e;
  }
  const keyFile = path.join(dir, 'identity');
  const khFile = path.join(dir, 'known_hosts');
  writePrivate(keyFile, unlocked.openssh);
  writePrivate(khFile, auth.knownHosts.endsWith('\n') ? auth.knownHosts : auth.knownHosts + '\n');
  // One SSH connection per operation: fetch, push and retries share it (ControlMaster), which
  // halves the handshakes of a commit. ControlPersist bounds it if we die before `-O exit`.
  const control = path.join(dir, 'ssh-control');
  const cmd = [
    'ssh',
    '-F',
    '/dev/null',
    '-i',
    shq(keyFile),
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${shq(control)}`,
    '-o',
    'ControlPersist=60',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    `UserKnownHostsFile=${shq(khFile)}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'UpdateHostKeys=no',
    '-o',
    'BatchMode=yes',
    '-o',
    'PasswordAuthentication=no',
    '-o',
    'KbdInteractiveAuthentication=no',
    '-o',
    'ConnectTimeout=30',
    '-o',
    'ServerAliveInterval=15',
  ].join(' ');
  const secrets = [auth.privateKey, unlocked.openssh, auth.passphrase ?? ''];
  const cleanup = async () => {
    if (!fs.existsSync(control)) return;
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
    await exec('ssh', ['-F', '/dev/null', '-o', `ControlPath=${control}`, '-O', 'exit', 'flux-bootstrap'], {
      env,
      timeoutMs: 10_000,
    }).catch(() => undefined);
  };
  return {
    config: [],
    env: { GIT_SSH_COMMAND: cmd, GIT_SSH_VARIANT: 'ssh' },
    secrets,
    keyFingerprint: unlocked.parsed.fingerprint,
    cleanup,
  };
}
