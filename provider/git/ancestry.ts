// Whether one commit contains another, from commit objects alone: a treeless
// (--filter=tree:0), shallow fetch of the branch, deepened once when the window is too short.
// No trees, no blobs, no clone: a few hundred bytes per commit on top. Used when Flux reports a
// newer revision than the one we pushed, because someone else committed on top of it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitAuth } from './auth';
import { checkBranch } from './remote-url';
import { withGitSession, type GitSession } from './session';

/** First window, then the deepened one; past that, ancestry is reported as not proven. */
export const HISTORY_DEPTHS = [64, 1024];

export interface CommitHistory {
  /** commit -> its parents, for every commit fetched */
  parents: Map<string, string[]>;
  /** commits whose parents were cut off by the shallow window */
  boundary: Set<string>;
}

async function readParents(s: GitSession, ref: string): Promise<CommitHistory> {
  const r = await s.git(['rev-list', '--parents', ref]);
  const parents = new Map<string, string[]>();
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const [commit, ...rest] = line.trim().split(' ').filter(Boolean);
    if (commit) parents.set(commit, rest);
  }
  const shallowFile = path.join(s.dir, 'repo.git', 'shallow');
  const boundary = new Set(fs.existsSync(shallowFile) ? fs.readFileSync(shallowFile, 'utf8').split('\n').filter(Boolean) : []);
  return { parents, boundary };
}

/** 'yes' | 'no' from the history, or 'cut' when the shallow window ends before an answer. */
export function ancestryIn(h: CommitHistory, descendant: string, ancestor: string): 'yes' | 'no' | 'cut' {
  if (!h.parents.has(descendant)) return h.boundary.size > 0 ? 'cut' : 'no';
  const seen = new Set<string>();
  const queue = [descendant];
  let cut = false;
  while (queue.length > 0) {
    const c = queue.pop()!;
    if (c === ancestor) return 'yes';
    if (seen.has(c)) continue;
    seen.add(c);
    if (h.boundary.has(c)) cut = true;
    for (const p of h.parents.get(c) ?? []) queue.push(p);
  }
  return cut ? 'cut' : 'no';
}

/** The branch's recent history (commit objects only), deepened once when it cannot yet tell
 *  whether `descendant` contains `ancestor`. Each call is one git session. */
export async function branchHistory(
  url: string,
  auth: GitAuth,
  branch: string,
  descendant: string,
  ancestor: string,
): Promise<CommitHistory> {
  checkBranch(branch);
  const ref = `refs/remotes/origin/${branch}`;
  const refspec = `+refs/heads/${branch}:${ref}`;
  return withGitSession(url, auth, { repo: true }, async (s) => {
    let h: CommitHistory = { parents: new Map(), boundary: new Set() };
    let have = 0;
    for (const depth of HISTORY_DEPTHS) {
      const args = have === 0 ? [`--depth=${depth}`] : [`--deepen=${depth - have}`];
      await s.git([
        'fetch',
        '--filter=tree:0',
        ...args,
        '--no-tags',
        '--no-recurse-submodules',
        '--no-write-fetch-head',
        'origin',
        refspec,
      ]);
      have = depth;
      h = await readParents(s, ref);
      if (ancestryIn(h, descendant, ancestor) !== 'cut') break;
    }
    return h;
  });
}
