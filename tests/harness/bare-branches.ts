// What a bare repository of the git-ssh service holds, for the fake APIs' answers (empty,
// default branch, branch list): read with git itself, so packed and loose refs both count.
import { execFileSync } from 'node:child_process';

function git(dir: string, args: string[]): string {
  try {
    return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** [branch, sha] pairs, sorted by name. */
export function branchesOf(dir: string): Array<[string, string]> {
  return git(dir, ['for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ') as [string, string]);
}

/** The branch HEAD names; when it does not exist but others do, the first of those becomes
 *  HEAD (GitHub makes the first pushed branch the default). */
export function headBranch(dir: string, fallback = 'main'): string {
  const head = git(dir, ['symbolic-ref', '--short', 'HEAD']) || fallback;
  const bs = branchesOf(dir);
  if (bs.length && !bs.some(([b]) => b === head)) {
    git(dir, ['symbolic-ref', 'HEAD', `refs/heads/${bs[0][0]}`]);
    return bs[0][0];
  }
  return head;
}
