// Accepted remote URLs and what auth each needs. Credentials never ride in a URL: they would
// land in argv, process listings and git's own messages.
import { GitError } from './git-error';
import { redact } from './redact';

export interface RemoteUrl {
  url: string;
  scheme: 'ssh' | 'https' | 'http' | 'file';
  host?: string;
  port?: number;
}

export function parseRemoteUrl(url: string): RemoteUrl {
  if (typeof url !== 'string' || url.trim() !== url || url === '' || url.startsWith('-')) {
    throw new GitError(
      'input',
      `"${redact(String(url))}" is not a git URL`,
      'give ssh://git@host/owner/repo, https://host/owner/repo.git or file:///path',
    );
  }
  // scp-like syntax: git@host:owner/repo
  const scp = /^([A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(?!\/\/)(.+)$/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return { url, scheme: 'ssh', host: scp[2].replace(/^\[|\]$/g, ''), port: 22 };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new GitError(
      'input',
      `"${redact(url)}" is not a git URL`,
      'give ssh://git@host/owner/repo, https://host/owner/repo.git or file:///path',
    );
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme === 'file') return { url, scheme };
  if (scheme !== 'ssh' && scheme !== 'https' && scheme !== 'http') {
    throw new GitError('input', `git URL scheme "${scheme}" is not supported`, 'use ssh://, https:// or file://');
  }
  if (u.password || (scheme !== 'ssh' && u.username)) {
    throw new GitError(
      'input',
      `the URL ${redact(url)} carries credentials`,
      'remove them from the URL and give them as auth (username/password, bearerToken or an SSH key)',
    );
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : scheme === 'ssh' ? 22 : scheme === 'https' ? 443 : 80;
  return { url, scheme, host, port };
}

/** Branch names git accepts (git-check-ref-format), checked without running git. */
export function checkBranch(branch: string): void {
  const bad =
    typeof branch !== 'string' ||
    branch === '' ||
    branch.startsWith('-') ||
    branch.startsWith('/') ||
    branch.endsWith('/') ||
    branch.endsWith('.') ||
    branch.endsWith('.lock') ||
    branch.includes('..') ||
    branch.includes('//') ||
    branch.includes('@{') ||
    branch === '@' ||
    /[\x00-\x20\x7f~^:?*[\\]/.test(branch) ||
    branch.split('/').some((c) => c.startsWith('.')) ||
    branch.startsWith('refs/');
  if (bad)
    throw new GitError('input', `"${String(branch)}" is not a valid branch name`, 'give a branch name such as main (without refs/heads/)');
}

/** Repository-relative file paths: no absolute paths, no .., no .git. Returns the normal form. */
export function checkPath(p: string, what = 'path'): string {
  const norm = typeof p === 'string' ? p.replace(/^\.\//, '').replace(/\/+$/, '') : '';
  const parts = norm.split('/');
  if (
    norm === '' ||
    norm.startsWith('/') ||
    /[\x00\n\r]/.test(norm) ||
    parts.some((c) => c === '' || c === '.' || c === '..' || c.toLowerCase() === '.git')
  ) {
    throw new GitError(
      'input',
      `${what} "${String(p)}" is not a repository-relative path`,
      'give a path like clusters/prod/flux-system/gotk-sync.yaml',
    );
  }
  return norm;
}
