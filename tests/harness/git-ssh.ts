// Service `git-ssh`: a real OpenSSH sshd serving bare Git repositories as user `git`, the way
// GitHub, GitLab and Gitea do, with per-key, per-repository read-only or read-write grants.
//
// How it runs without touching the machine's accounts or /etc/ssh:
// - Debian's openssh-server and libnss-wrapper are installed on first use (apt-get, root).
// - sshd runs in the foreground (`-D -e -f <our config>`) on a random 127.0.0.1 port with a
//   host key generated per run, no PAM, no passwords, `StrictModes no`, and our own
//   `AuthorizedKeysFile`.
// - The `git` login exists only for sshd: nss_wrapper (LD_PRELOAD) gives sshd a passwd file
//   with a `git` entry mapped to the uid sshd runs as. As root that is uid 0, so the config
//   says `PermitRootLogin forced-commands-only`: every key logs in only through its forced
//   command.
// - Each authorized key carries `command="git-serve <reposDir> <repo>:<ro|rw> ...",restrict`.
//   git-serve reads SSH_ORIGINAL_COMMAND, allows `git-upload-pack` on a granted repository,
//   `git-receive-pack` only with rw, refuses everything else, and execs git.
//
// Grants live in <stateDir>/grants.json and authorized_keys is regenerated from it on every
// change (atomically, under a lock), so any process may change them while sshd runs: sshd
// reads authorized_keys on each login. A fake GitHub/GitLab API feeds its deploy keys in
// with setKeyGrants(info, 'fake-github', [...]), which replaces that source's grants only.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDebianPackages } from './apt';
import { progress } from './cache';
import { freePort, waitForPort } from './ports';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import { checkRepoName, grantsFile, updateGrants } from './git-ssh-grants';
import type { Service } from './service';

export { grantKey, keyId, listGrants, revokeKey, setKeyGrants, type Access, type Grant } from './git-ssh-grants';

const SSHD = '/usr/sbin/sshd';

function multiarch(): string {
  return process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
}
const NSS_WRAPPER = `/usr/lib/${multiarch()}/libnss_wrapper.so`;

export interface GitSshInfo {
  host: '127.0.0.1';
  port: number;
  /** the login every URL uses */
  user: 'git';
  /** known_hosts line(s): `[127.0.0.1]:PORT ssh-ed25519 AAAA...` */
  knownHosts: string;
  /** bare repositories: <reposDir>/<name>.git */
  reposDir: string;
  /** sshd config, host key, authorized_keys, grants.json, logs */
  stateDir: string;
  /** `ssh://git@127.0.0.1:PORT`; a repository's URL is `${baseUrl}/<name>` (see urlFor) */
  baseUrl: string;
}

// ---------------------------------------------------------------- repositories and URLs

/** `ssh://git@127.0.0.1:PORT/<repo>` (no `.git`, like flux bootstrap's host URLs). */
export function urlFor(info: GitSshInfo, repo: string): string {
  return `${info.baseUrl}/${checkRepoName(repo)}`;
}

export function repoDir(info: { reposDir: string }, repo: string): string {
  return path.join(info.reposDir, `${checkRepoName(repo)}.git`);
}

/** Creates an empty bare repository (HEAD -> refs/heads/<defaultBranch>); returns its path.
 *  Creating one that exists is a no-op. */
export function createBareRepo(info: { reposDir: string }, repo: string, defaultBranch = 'main'): string {
  const dir = repoDir(info, repo);
  if (fs.existsSync(path.join(dir, 'HEAD'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return dir;
}

// ---------------------------------------------------------------- access log (benchmarks)

export interface GitSession {
  verb: 'upload-pack' | 'receive-pack';
  repo: string;
  /** bytes the server sent to the client: ref advertisement plus any pack */
  bytesSent: number;
}

const accessLogFile = (info: { reposDir: string }) => path.join(info.reposDir, '.access-log');

/** Makes git-serve log every session from now on (off by default: it costs a dd per session). */
export function enableAccessLog(info: { reposDir: string }): void {
  fs.appendFileSync(accessLogFile(info), ''); // keeps what others logged
}

function readAccessLog(file: string): GitSession[] {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [verb, repo, bytes] = line.split(' ');
      return { verb: verb as GitSession['verb'], repo, bytesSent: Number(bytes) };
    });
}

/** The sessions logged so far for one repository (other tests may share the server). */
export function accessLog(info: { reposDir: string }, repo: string): GitSession[] {
  return readAccessLog(accessLogFile(info)).filter((s) => s.repo === repo);
}

/** The sessions logged since enableAccessLog or the last take, and starts a new log. */
export function takeAccessLog(info: { reposDir: string }): GitSession[] {
  const sessions = readAccessLog(accessLogFile(info));
  fs.writeFileSync(accessLogFile(info), '');
  return sessions;
}

// ---------------------------------------------------------------- injected faults

/** From now on every `verb` session on repo dies as it starts (the server process is killed,
 *  the client sees the connection drop), until the returned function is called. */
export function injectFault(info: { reposDir: string }, repo: string, verb: 'upload-pack' | 'receive-pack'): () => void {
  const file = path.join(repoDir(info, repo), `fault-${verb}`);
  fs.writeFileSync(file, '');
  return () => fs.rmSync(file, { force: true });
}

// ---------------------------------------------------------------- client side helpers

export interface KeyPair {
  privateKeyFile: string;
  /** `ssh-ed25519 AAAA... comment` */
  publicKey: string;
  privateKey: string;
}

/** A new key pair (ssh-keygen, no passphrase) at <dir>/<name>. */
export function generateKeyPair(dir: string, name: string, type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519'): KeyPair {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  const extra = type === 'ecdsa' ? ['-b', '384'] : type === 'rsa' ? ['-b', '3072'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...extra, '-N', '', '-C', name, '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { privateKeyFile: file, publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim(), privateKey: fs.readFileSync(file, 'utf8') };
}

/** Writes the server's known_hosts to a file and returns its path. */
export function writeKnownHosts(info: GitSshInfo, file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, info.knownHosts + '\n');
  return file;
}

/** ssh client options for this server: only this key, only this known_hosts, strict host key
 *  checking, no user ssh config, no agent, no prompts. */
export function sshOptions(privateKeyFile: string, knownHostsFile: string): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    privateKeyFile,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    `UserKnownHostsFile=${knownHostsFile}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=20',
  ];
}

/** GIT_SSH_COMMAND with sshOptions(). */
export function gitSshCommand(privateKeyFile: string, knownHostsFile: string): string {
  const q = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return ['ssh', ...sshOptions(privateKeyFile, knownHostsFile)].map(q).join(' ');
}

// ---------------------------------------------------------------- the server

// The forced command. $1 = repositories dir, then one `<repo>:<ro|rw>` per granted repository.
const GIT_SERVE = `#!/bin/sh
# Forced command of every key in authorized_keys (tests/harness/git-ssh.ts).
set -u
repos=$1; shift
cmd=\${SSH_ORIGINAL_COMMAND:-}
refuse() { echo "git-ssh (flux-bootstrap test server): $*" >&2; exit 1; }
case "$cmd" in
  "git-upload-pack "*) verb=upload-pack; arg=\${cmd#git-upload-pack } ;;
  "git upload-pack "*) verb=upload-pack; arg=\${cmd#git upload-pack } ;;
  "git-receive-pack "*) verb=receive-pack; arg=\${cmd#git-receive-pack } ;;
  "git receive-pack "*) verb=receive-pack; arg=\${cmd#git receive-pack } ;;
  "") refuse "interactive login is not allowed" ;;
  *) refuse "only git fetch and push are served, not: $cmd" ;;
esac
# git quotes the path in single quotes; anything else in it is refused, not interpreted
case "$arg" in
  "'"*"'") path=\${arg#"'"}; path=\${path%"'"} ;;
  *) refuse "unexpected argument: $arg" ;;
esac
case "$path" in *"'"*|*"\\\\"*|*..*) refuse "unexpected path: $path" ;; esac
path=\${path#/}; path=\${path%/}; path=\${path%.git}
for grant in "$@"; do
  repo=\${grant%:*}; access=\${grant##*:}
  [ "$repo" = "$path" ] || continue
  if [ "$verb" = receive-pack ] && [ "$access" != rw ]; then
    refuse "this key may read $repo but not push to it"
  fi
  [ -d "$repos/$repo.git" ] || refuse "repository $repo does not exist"
  # injected fault (injectFault): the server goes away as the session starts
  if [ -e "$repos/$repo.git/fault-$verb" ]; then
    echo "git-ssh (flux-bootstrap test server): connection dropped (injected fault)" >&2
    kill -9 $$
  fi
  log=$repos/.access-log
  if [ -e "$log" ]; then
    # opted in (enableAccessLog): one line per session with the bytes sent to the client;
    # dd copies each read as it comes, so the protocol's turn-taking is undisturbed
    tmp=$(mktemp)
    { @GIT@ "$verb" "$repos/$repo.git"; echo $? >"$tmp"; } | dd bs=65536 2>"$tmp.dd"
    bytes=$(sed -n 's/^\\([0-9]*\\) bytes.*/\\1/p' "$tmp.dd")
    echo "$verb $repo \${bytes:-0}" >>"$log"
    rc=$(cat "$tmp"); rm -f "$tmp" "$tmp.dd"
    exit "\${rc:-1}"
  fi
  exec @GIT@ "$verb" "$repos/$repo.git"
done
refuse "this key has no access to $path"
`;

function sshdConfig(stateDir: string, port: number): string {
  const root = process.getuid?.() === 0;
  return [
    '# written by tests/harness/git-ssh.ts',
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${path.join(stateDir, 'ssh_host_ed25519_key')}`,
    'PidFile none', // the harness records the pid itself (harness.pid)
    `AuthorizedKeysFile ${path.join(stateDir, 'authorized_keys')}`,
    'AllowUsers git',
    'StrictModes no',
    'UsePAM no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'HostbasedAuthentication no',
    `PermitRootLogin ${root ? 'forced-commands-only' : 'no'}`,
    'AcceptEnv GIT_PROTOCOL',
    'PermitTTY no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'PermitTunnel no',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'MaxStartups 64:30:128',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

function layoutOf(workDir: string): { stateDir: string; reposDir: string; pidFile: string; logFile: string } {
  const stateDir = path.join(workDir, 'ssh');
  return {
    stateDir,
    reposDir: path.join(workDir, 'repos'),
    pidFile: path.join(stateDir, 'harness.pid'),
    logFile: path.join(stateDir, 'sshd.log'),
  };
}

export const gitSshService: Service<GitSshInfo> = {
  name: 'git-ssh',
  async start(workDir: string): Promise<GitSshInfo> {
    const started = Date.now();
    ensureDebianPackages([
      { pkg: 'openssh-server', file: SSHD },
      { pkg: 'openssh-client', file: '/usr/bin/ssh-keygen' },
      { pkg: 'libnss-wrapper', file: NSS_WRAPPER },
      { pkg: 'git', file: '/usr/bin/git' },
    ]);
    const { stateDir, reposDir, pidFile, logFile } = layoutOf(workDir);
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(reposDir, { recursive: true });
    fs.writeFileSync(path.join(stateDir, 'layout.json'), JSON.stringify({ reposDir }) + '\n');

    const hostKey = path.join(stateDir, 'ssh_host_ed25519_key');
    fs.rmSync(hostKey, { force: true });
    fs.rmSync(`${hostKey}.pub`, { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'flux-bootstrap-test-git-ssh', '-f', hostKey]);

    const git = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(path.join(stateDir, 'git-serve'), GIT_SERVE.replaceAll('@GIT@', git), { mode: 0o755 });
    if (!fs.existsSync(grantsFile(stateDir))) updateGrants(stateDir, (g) => g);

    // `git` for sshd only: the machine's accounts plus one line, through nss_wrapper.
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    const passwd = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('git:'));
    passwd.push(`git:x:${uid}:${gid}:flux-bootstrap test git server:${stateDir}:/bin/sh`);
    fs.writeFileSync(path.join(stateDir, 'passwd'), passwd.join('\n') + '\n');
    fs.copyFileSync('/etc/group', path.join(stateDir, 'group'));
    // sshd refuses to start as root without its privilege separation directory
    if (uid === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

    const port = await freePort();
    const config = path.join(stateDir, 'sshd_config');
    fs.writeFileSync(config, sshdConfig(stateDir, port));
    execFileSync(SSHD, ['-t', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });

    const proc = startProcess({
      name: 'git-ssh sshd',
      command: SSHD,
      args: ['-D', '-e', '-f', config],
      env: {
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        LD_PRELOAD: NSS_WRAPPER,
        NSS_WRAPPER_PASSWD: path.join(stateDir, 'passwd'),
        NSS_WRAPPER_GROUP: path.join(stateDir, 'group'),
      },
      logFile,
      pidFile,
    });
    logStart(proc);
    try {
      await waitForPort(port, 20_000);
    } catch (e) {
      throw new Error(`sshd did not come up: ${(e as Error).message}\n${tail(logFile)}`);
    }
    const hostPub = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
    const info: GitSshInfo = {
      host: '127.0.0.1',
      port,
      user: 'git',
      knownHosts: `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}`,
      reposDir,
      stateDir,
      baseUrl: `ssh://git@127.0.0.1:${port}`,
    };
    progress(`git-ssh on ${info.baseUrl} ready in ${Date.now() - started} ms`);
    return info;
  },
  async stop(workDir: string): Promise<void> {
    await stopRecorded(layoutOf(workDir).pidFile);
  },
};
