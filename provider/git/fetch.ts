// Least-transfer fetches into a session's temp GIT_DIR: the tip commit only (--depth=1) and
// its trees without blobs (--filter=blob:none). Servers that don't support filters ignore
// the filter with a warning, and git falls back to sending that one commit's blobs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitSession } from './session';

export interface FetchedTip {
  /** null: the branch does not exist (or the repository is empty) */
  commit: string | null;
  /** false when the server ignored the blob filter */
  filtered: boolean;
}

export const SHA_RE = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export async function fetchTip(s: GitSession, ref: string): Promise<FetchedTip> {
  const byCommit = SHA_RE.test(ref);
  const refspec = byCommit ? ref : `+refs/heads/${ref}:refs/remotes/origin/${ref}`;
  const r = await s.git(['fetch', '--depth=1', '--filter=blob:none', '--no-tags', '--no-recurse-submodules', 'origin', refspec], {
    allowFail: true,
  });
  const filtered = !/filtering not recognized by server/.test(r.stderr);
  if (r.code !== 0) {
    if (!byCommit && /couldn't find remote ref/.test(r.stderr)) return { commit: null, filtered };
    throw s.fail(r.stderr);
  }
  if (byCommit) return { commit: ref, filtered };
  // FETCH_HEAD's first field is the fetched commit; reading it saves a rev-parse process.
  const head = fs
    .readFileSync(path.join(s.dir, 'repo.git', 'FETCH_HEAD'), 'utf8')
    .split('\t')[0]
    .trim();
  if (!SHA_RE.test(head)) throw s.fail(`unexpected FETCH_HEAD for ${ref}`);
  return { commit: head, filtered };
}

export interface TreeEntry {
  /** repository-relative path */
  path: string;
  /** '100644', '100755', '120000', '160000' */
  mode: string;
  type: 'blob' | 'commit';
  /** git object id (the blob id for files) */
  oid: string;
}

/** Recursive listing of the files under dir ('' = whole tree); reads trees only, never blobs. */
export async function listTree(s: GitSession, commit: string, dir: string): Promise<TreeEntry[]> {
  const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
  if (dir) args.push('--', dir);
  const r = await s.git(args);
  const entries: TreeEntry[] = [];
  for (const rec of r.stdout.toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid] = rec.slice(0, tab).split(' ');
    const p = rec.slice(tab + 1);
    // ls-tree matches dir as a prefix of path components; keep only what lies under it.
    if (dir && p !== dir && !p.startsWith(dir + '/')) continue;
    entries.push({ path: p, mode, type: type as TreeEntry['type'], oid });
  }
  return entries;
}
