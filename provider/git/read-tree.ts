// Observed state of the files under a path: blob ids first (trees only, no file contents),
// contents later and only for the files whose ids differ from what we expect.
import { GitError } from './git-error';
import { fetchTip, listTree, SHA_RE, type TreeEntry } from './fetch';
import { checkBranch, checkPath } from './remote-url';
import { withGitSession, type GitSession } from './session';
import type { GitAuth } from './auth';

export interface TreeListing {
  /** the commit read; null when the branch does not exist or the repository is empty */
  commit: string | null;
  entries: TreeEntry[];
  /** false when the server ignored the blob filter (the fetch then carried file contents) */
  filtered: boolean;
}

/** A directory of the tree: '' for the root ('', '.' or '/'), else a checked relative path. */
export function normDir(dir: string): string {
  return dir === '' || dir === '.' || dir === '/' ? '' : checkPath(dir, 'dir');
}

function checkRef(ref: string): void {
  if (!SHA_RE.test(ref)) checkBranch(ref);
}

/** The files under dir at ref (a branch name or a commit id) with their blob ids. */
export async function readTree(url: string, auth: GitAuth, ref: string, dir: string): Promise<TreeListing> {
  checkRef(ref);
  const d = normDir(dir);
  return withGitSession(url, auth, { repo: true }, async (s) => {
    const tip = await fetchTip(s, ref);
    if (!tip.commit) return { commit: null, entries: [], filtered: tip.filtered };
    return { commit: tip.commit, entries: await listTree(s, tip.commit, d), filtered: tip.filtered };
  });
}

export interface BlobsResult {
  commit: string | null;
  /** path -> content (utf8); null for paths that are absent at that commit */
  files: Record<string, string | null>;
}

/** Contents of the given files at ref, fetching only those blobs. */
export async function readBlobs(url: string, auth: GitAuth, ref: string, paths: string[]): Promise<BlobsResult> {
  checkRef(ref);
  const wanted = paths.map((p) => checkPath(p));
  return withGitSession(url, auth, { repo: true }, async (s) => {
    const files: Record<string, string | null> = Object.fromEntries(wanted.map((p) => [p, null]));
    const tip = await fetchTip(s, ref);
    if (!tip.commit || wanted.length === 0) return { commit: tip.commit, files };
    const entries = (await listTree(s, tip.commit, '')).filter((e) => e.type === 'blob' && e.path in files);
    if (entries.length === 0) return { commit: tip.commit, files };
    if (tip.filtered)
      await fetchBlobs(
        s,
        ref,
        entries.map((e) => e.oid),
      );
    const contents = await catBlobs(
      s,
      entries.map((e) => e.oid),
    );
    for (const e of entries) files[e.path] = contents.get(e.oid)!.toString('utf8');
    return { commit: tip.commit, files };
  });
}

/** One fetch for all wanted blobs, the way partial clones fetch missing objects. Servers that
 *  refuse unadvertised object ids (protocol v0 without allowAnySHA1InWant) get a plain
 *  depth-1 fetch of the commit instead, which carries all its blobs. */
async function fetchBlobs(s: GitSession, ref: string, oids: string[]): Promise<void> {
  const r = await s.git(
    [
      '-c',
      'fetch.negotiationAlgorithm=noop',
      'fetch',
      '--no-tags',
      '--no-write-fetch-head',
      '--no-recurse-submodules',
      '--filter=blob:none',
      '--stdin',
      'origin',
    ],
    { input: [...new Set(oids)].join('\n') + '\n', allowFail: true },
  );
  if (r.code === 0) return;
  const refspec = SHA_RE.test(ref) ? ref : `+refs/heads/${ref}:refs/remotes/origin/${ref}`;
  const full = await s.git(['fetch', '--depth=1', '--no-tags', '--no-recurse-submodules', '--refetch', 'origin', refspec], {
    allowFail: true,
  });
  if (full.code !== 0) throw s.fail(full.stderr);
}

async function catBlobs(s: GitSession, oids: string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  const r = await s.git(['cat-file', '--batch'], { input: unique.join('\n') + '\n' });
  const out = new Map<string, Buffer>();
  let pos = 0;
  const buf = r.stdout;
  for (const oid of unique) {
    const nl = buf.indexOf(10, pos);
    const header = buf.subarray(pos, nl).toString('utf8');
    const [id, type, size] = header.split(' ');
    if (id !== oid || type !== 'blob')
      throw new GitError(
        'git',
        `could not read blob ${oid} (${header})`,
        'retry; if it persists, the server may not serve partial fetches',
      );
    const n = Number(size);
    out.set(oid, buf.subarray(nl + 1, nl + 1 + n));
    pos = nl + 1 + n + 1;
  }
  return out;
}
