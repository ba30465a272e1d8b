// Git failures turned into errors a user can act on: what happened, and how to fix it. The
// message and the stderr excerpt are already redacted when a GitError is built.
import { InputError } from '../errors';

export type GitErrorKind =
  | 'host-key' // the server's host key is not the one in known_hosts
  | 'auth' // credentials refused or missing
  | 'not-found' // repository or ref does not exist
  | 'tls' // certificate verification failed
  | 'network' // cannot connect, timeout
  | 'rejected' // the server refused the push (not a race)
  | 'conflict' // the push kept losing races with other writers
  | 'input' // the URL, branch or paths are not acceptable
  | 'git'; // anything else

export class GitError extends Error {
  constructor(
    readonly kind: GitErrorKind,
    readonly reason: string,
    readonly remedy: string,
    /** redacted git stderr, for debugging */
    readonly detail = '',
  ) {
    super(`${reason}. Fix: ${remedy}` + (detail ? `\n${detail}` : ''));
    this.name = 'GitError';
  }

  /** For kind 'input': the same problem as the engine's InputError on the given field. */
  asInputError(field: string, value: unknown, secret = false): InputError {
    return new InputError({ field, value, reason: this.reason, remedy: this.remedy, secret });
  }
}

export interface FailureContext {
  /** redacted URL for messages */
  url: string;
  /** '[host]:port' as known_hosts names it, for ssh */
  knownHostsName?: string;
  host?: string;
  port?: number;
  /** fingerprint of the SSH key we offered */
  keyFingerprint?: string;
  authKind: 'ssh' | 'https' | 'none';
}

/** Maps redacted stderr of a failed git command to a GitError. */
export function classifyFailure(stderr: string, ctx: FailureContext): GitError {
  // git's boilerplate and ssh's advice about our throwaway known_hosts file help nobody.
  const detail = stderr
    .trim()
    .split('\n')
    .filter(
      (l) =>
        l.trim() &&
        !/correct access rights|and the repository exists|flux-bootstrap-git-|remove with:|system administrator|^@+$|^\s*@/.test(l),
    )
    .slice(-12)
    .join('\n');
  const name = ctx.knownHostsName ?? ctx.host ?? ctx.url;
  const scan = ctx.host ? `ssh-keyscan${ctx.port && ctx.port !== 22 ? ` -p ${ctx.port}` : ''} ${ctx.host}` : 'ssh-keyscan <host>';
  const offered = /fingerprint for the (\S+) key sent by the remote host is\s+(SHA256:[A-Za-z0-9+/]+)/.exec(stderr);
  const offeredText = offered ? ` (the server presented ${offered[1]} key ${offered[2]})` : '';
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(stderr)) {
    return new GitError(
      'host-key',
      `host key for ${name} does not match known_hosts${offeredText}`,
      `if the server's key was rotated, check the new fingerprint out of band and replace known_hosts with the output of \`${scan}\`; otherwise the connection may be intercepted, so do not proceed`,
      detail,
    );
  }
  if (/No \S+ host key is known for|Host key verification failed/.test(stderr)) {
    return new GitError(
      'host-key',
      `known_hosts has no matching host key for ${name}${offeredText}`,
      `add the server's host key to known_hosts, e.g. the output of \`${scan}\` after checking its fingerprint`,
      detail,
    );
  }
  if (
    /may read .* but not push|not allowed to push|Write access to repository not granted|read[- ]only (deploy )?key|marked as read[- ]only|permission to push|Permission to \S+ denied/i.test(
      stderr,
    )
  ) {
    return new GitError(
      'auth',
      `the credentials may read ${ctx.url} but not push to it`,
      ctx.authKind === 'ssh'
        ? `give the deploy key ${ctx.keyFingerprint ?? ''} write access (a read-write key)`.replace('  ', ' ')
        : 'use a token or user with write access to the repository',
      detail,
    );
  }
  if (
    /Permission denied \(|Authentication failed|returned error: 40[13]|could not read (Username|Password)|Invalid username or password|HTTP Basic: Access denied/i.test(
      stderr,
    )
  ) {
    const remedy =
      ctx.authKind === 'ssh'
        ? `register the public key ${ctx.keyFingerprint ?? ''} as a deploy key of the repository (with write access for commits)`.replace(
            '  ',
            ' ',
          )
        : ctx.authKind === 'https'
          ? 'check the username and password or token, and that it may access this repository'
          : 'give credentials for this repository';
    return new GitError('auth', `${ctx.url} refused the credentials`, remedy, detail);
  }
  if (
    /SSL certificate problem|server certificate verification failed|unable to get local issuer|self[- ]signed certificate/i.test(stderr)
  ) {
    return new GitError(
      'tls',
      `the TLS certificate of ${ctx.url} could not be verified`,
      'give the CA certificate that signed the server certificate (caPem)',
      detail,
    );
  }
  // GitHub "Repository not found", GitLab "could not be found", Gitea and others "does not exist"
  if (
    /Repository not found|does not appear to be a git repository|returned error: 404|not found|could not be found|does not exist|No such file or directory/i.test(
      stderr,
    )
  ) {
    return new GitError(
      'not-found',
      `the repository ${ctx.url} was not found`,
      'check the URL, and that the credentials can see the repository',
      detail,
    );
  }
  if (
    /Could not resolve host|Connection refused|Connection timed out|Operation timed out|Network is unreachable|Failed to connect|Connection reset|Connection closed|kex_exchange_identification/i.test(
      stderr,
    )
  ) {
    return new GitError(
      'network',
      `could not connect to ${ctx.url}`,
      'check the URL, the port and that the git server is reachable from here',
      detail,
    );
  }
  return new GitError('git', `git failed on ${ctx.url}`, 'see the git output below', detail);
}
