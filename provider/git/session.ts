// One git operation's private world: a 0700 temp dir holding the credentials and (when asked)
// a bare GIT_DIR, an environment that ignores the user's git config, credential helpers and
// prompts, and a runner whose failures come back redacted and classified.
import * as path from 'node:path';
import { knownHostsName } from '../keys/known-hosts';
import { exec, type ExecResult } from './exec';
import { prepareAuth, type GitAuth } from './auth';
import { classifyFailure, GitError, type FailureContext } from './git-error';
import { makeRedactor, redact, type Redactor } from './redact';
import { parseRemoteUrl, type RemoteUrl } from './remote-url';
import { withTempDir } from './tempdir';

const PASS_ENV = [
  'PATH',
  'TMPDIR',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];

// Quiet, fast, self-contained temp repositories.
const BASE_CONFIG: Array<[string, string]> = [
  ['protocol.version', '2'],
  ['init.defaultBranch', 'main'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['fetch.writeCommitGraph', 'false'],
  ['core.fsync', 'none'],
  ['credential.helper', ''],
];

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** return a failed result instead of throwing */
  allowFail?: boolean;
  timeoutMs?: number;
}

export interface GitSession {
  dir: string;
  remote: RemoteUrl;
  redact: Redactor;
  context: FailureContext;
  git(args: string[], opts?: RunOptions): Promise<ExecResult>;
  fail(stderr: string): GitError;
  /** more values to redact (e.g. a signing key prepared later) */
  addSecrets(values: string[]): void;
}

export interface SessionOptions {
  /** create a bare GIT_DIR with remote "origin" = url */
  repo?: boolean;
}

export async function withGitSession<T>(url: string, auth: GitAuth, opts: SessionOptions, fn: (s: GitSession) => Promise<T>): Promise<T> {
  const remote = parseRemoteUrl(url);
  checkAuthMatchesUrl(remote, auth);
  return withTempDir(async (dir) => {
    const prepared = await prepareAuth(auth, dir);
    const secrets = [...prepared.secrets];
    let redactor = makeRedactor(secrets);
    const config = [...BASE_CONFIG, ...prepared.config];
    const gitDir = path.join(dir, 'repo.git');
    if (opts.repo) config.push(['remote.origin.url', url], ['remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*']);
    const env: Record<string, string> = {
      HOME: dir,
      LC_ALL: 'C',
      LANG: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      // never discover a repository above the temp dir (TMPDIR may sit inside a checkout)
      GIT_CEILING_DIRECTORIES: path.dirname(dir),
    };
    for (const k of PASS_ENV) if (process.env[k] !== undefined) env[k] = process.env[k]!;
    // A custom CA must win over the machine's GIT_SSL_CAINFO, which git prefers to config.
    if (process.env.GIT_SSL_CAINFO && !(auth.kind === 'https' && auth.caPem)) env.GIT_SSL_CAINFO = process.env.GIT_SSL_CAINFO;
    Object.assign(env, prepared.env);
    env.GIT_CONFIG_COUNT = String(config.length);
    config.forEach(([k, v], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = k;
      env[`GIT_CONFIG_VALUE_${i}`] = v;
    });
    const context: FailureContext = {
      url: redact(url),
      authKind: auth.kind,
      host: remote.host,
      port: remote.port,
      keyFingerprint: prepared.keyFingerprint,
      ...(remote.scheme === 'ssh' && remote.host ? { knownHostsName: knownHostsName(remote.host, remote.port) } : {}),
    };
    const fail = (stderr: string) => classifyFailure(redactor(stderr), context);
    const session: GitSession = {
      dir,
      remote,
      redact: (t) => redactor(t),
      context,
      fail,
      addSecrets(values) {
        secrets.push(...values);
        redactor = makeRedactor(secrets);
      },
      async git(args, o = {}) {
        const r = await exec('git', args, {
          env: { ...env, ...(opts.repo ? { GIT_DIR: gitDir } : {}), ...o.env },
          cwd: dir,
          input: o.input,
          timeoutMs: o.timeoutMs ?? 300_000,
        }).catch((e: NodeJS.ErrnoException) => {
          throw new GitError(
            'git',
            e.code === 'ENOENT' ? 'git was not found' : `git could not run (${e.code ?? 'error'})`,
            'install git 2.39 or newer',
          );
        });
        if (r.timedOut)
          throw new GitError(
            'network',
            `git ${args[0]} on ${context.url} timed out`,
            'check that the git server is reachable and responsive',
            redactor(r.stderr).slice(-2000),
          );
        if (r.code !== 0 && !o.allowFail) throw fail(r.stderr);
        return r;
      },
    };
    try {
      if (opts.repo) await session.git(['init', '--bare', '-q', gitDir], { env: { GIT_DIR: gitDir } });
      return await fn(session);
    } finally {
      await prepared.cleanup?.();
    }
  });
}

function checkAuthMatchesUrl(remote: RemoteUrl, auth: GitAuth): void {
  const kind = auth?.kind;
  const ok =
    kind === 'none' ||
    (kind === 'ssh' && remote.scheme === 'ssh') ||
    (kind === 'https' && (remote.scheme === 'https' || remote.scheme === 'http'));
  if (!ok) {
    throw new GitError(
      'input',
      `auth kind "${String(kind)}" does not fit the ${remote.scheme} URL ${redact(remote.url)}`,
      remote.scheme === 'ssh' ? 'use {kind: "ssh", privateKey, knownHosts} for ssh:// URLs' : `use {kind: "https", ...} or an ssh:// URL`,
    );
  }
}
