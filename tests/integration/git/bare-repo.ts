// Reads a harness bare repository directly (the server side), so tests check what really
// landed instead of trusting what the client returned.
import { execFileSync } from 'node:child_process';

export function serverGit(repoDir: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', repoDir, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

export function head(repoDir: string, branch = 'main'): string | null {
  try {
    return serverGit(repoDir, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`]);
  } catch {
    return null;
  }
}

export function commitCount(repoDir: string, branch = 'main'): number {
  return Number(serverGit(repoDir, ['rev-list', '--count', `refs/heads/${branch}`]));
}

export function fileAt(repoDir: string, rev: string, file: string): string {
  return serverGit(repoDir, ['show', `${rev}:${file}`]);
}

export function filesAt(repoDir: string, rev: string): string[] {
  return serverGit(repoDir, ['ls-tree', '-r', '--name-only', rev]).split('\n').filter(Boolean);
}

export function parentsOf(repoDir: string, rev: string): string[] {
  return serverGit(repoDir, ['rev-list', '--parents', '-n', '1', rev]).split(' ').slice(1);
}

/** Lets the repository serve partial (blob-less) fetches, as GitHub and GitLab do. */
export function allowFilter(repoDir: string): void {
  serverGit(repoDir, ['config', 'uploadpack.allowFilter', 'true']);
}
