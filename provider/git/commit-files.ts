// One commit with all writes and deletions, pushed without force. The commit is built with
// plumbing on an index in a temp GIT_DIR that holds only the branch tip's trees (no blobs, no
// history). Writers in this process take turns per branch; a push that loses a race to
// another process is re-applied on the new tip, with jittered backoff.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitError } from './git-error';
import { fetchTip, listTree } from './fetch';
import { checkBranch, checkPath } from './remote-url';
import { prepareSigning, type CommitSigning } from './signing';
import { withGitSession, type GitSession } from './session';
import { withBranchLock } from './branch-lock';
import { forgetObservations } from './shared-observations';
import type { GitAuth } from './auth';
import { normDir, type TreeListing } from './read-tree';

export interface CommitRequest {
  branch: string;
  /** path -> content; written as regular files (100644) */
  files: Record<string, string>;
  /** files, or directories (everything under them), to remove; absent paths are ignored */
  deletions?: string[];
  message: string;
  author: { name: string; email: string };
  /** When the branch does not exist: start it from this branch's tip instead of an orphan
   *  commit (what `flux bootstrap` makes, and the default). */
  createFrom?: string;
  signing?: CommitSigning;
  /** path -> blob id the branch must hold for the commit to be made (null: absent). Checked
   *  against every tip the commit is built on, so a writer that got there first is noticed
   *  even when it wins the race between our read and our push. */
  expect?: Record<string, string | null>;
  /** push attempts before giving up on a branch other processes keep moving; default 8 */
  maxAttempts?: number;
}

export interface CommitResult {
  /** the branch head after the call: the new commit, or the unchanged head (null: still empty) */
  commit: string | null;
  changed: boolean;
  /** push attempts made (0 when nothing changed) */
  attempts: number;
}

const RACE =
  /fetch first|non-fast-forward|stale info|cannot lock ref|failed to lock|failed to update ref|incorrect old value|already exists/;

export async function commitFiles(url: string, auth: GitAuth, req: CommitRequest): Promise<CommitResult> {
  // refused before any session, as a planned commit's are before its push
  checkedChanges(req);
  checkAuthor(req);
  const { files, deletions, message, expect, ...rest } = req;
  const { listing: _listing, ...result } = await commitPlanned(url, auth, { ...rest, dir: null }, () =>
    Promise.resolve({ files, deletions, message, expect }),
  );
  return result;
}

/** What a planned commit writes on the tip it was planned on. */
export interface CommitPlan {
  files: Record<string, string>;
  deletions?: string[];
  message: string;
  expect?: Record<string, string | null>;
}

export interface PlannedCommitRequest extends Omit<CommitRequest, 'files' | 'deletions' | 'message' | 'expect'> {
  /** the directory whose files (blob ids, no contents) the plan is given; null: none */
  dir: string | null;
}

/**
 * One commit decided on the tip it is built on: `plan` gets the files under `dir` there (blob
 * ids only, as readTree lists them) and says what to write, or null for nothing. The listing is
 * the commit's own fetch, so observing and committing take one session, not two; a retry after
 * a lost race plans again on the new tip. Returns the listing the last plan saw.
 */
export async function commitPlanned(
  url: string,
  auth: GitAuth,
  req: PlannedCommitRequest,
  plan: (listing: TreeListing) => Promise<CommitPlan | null>,
): Promise<CommitResult & { listing: TreeListing }> {
  checkBranch(req.branch);
  if (req.createFrom !== undefined) checkBranch(req.createFrom);
  const dir = req.dir === null ? null : normDir(req.dir);
  const maxAttempts = Math.max(1, req.maxAttempts ?? 8);

  const result = await withBranchLock(`${url}\0${req.branch}`, () =>
    withGitSession(url, auth, { repo: true }, async (s) => {
      const signing = req.signing ? await prepareSigning(s, req.signing) : undefined;
      const hashed = new Map<string, string>(); // content -> blob id, across attempts
      try {
        let slowest = 0;
        for (let attempt = 1; ; attempt++) {
          const started = Date.now();
          const tip = await fetchTip(s, req.branch);
          const listing: TreeListing = {
            commit: tip.commit,
            entries: tip.commit && dir !== null ? await listTree(s, tip.commit, dir) : [],
            filtered: tip.filtered,
          };
          const planned = await plan(listing);
          const unchanged = { commit: tip.commit, changed: false, attempts: attempt - 1, listing };
          if (!planned) return unchanged;
          checkAuthor({ ...req, message: planned.message });
          const { writes, deletions } = checkedChanges(planned);
          const blobs = await hashBlobs(s, writes, hashed);
          const base = tip.commit ?? (req.createFrom ? (await fetchTip(s, req.createFrom)).commit : null);
          let built = await buildCommit(s, base, blobs, deletions, { ...req, ...planned }, signing);
          // A new branch whose content equals its starting point still gets created.
          if (!built && !tip.commit && base) built = base;
          if (!built) return unchanged;
          const push = await pushCommit(s, built, req.branch);
          if (push === 'ok') return { commit: built, changed: true, attempts: attempt, listing };
          if (attempt >= maxAttempts) {
            throw new GitError(
              'conflict',
              `the push to ${req.branch} lost to concurrent writers ${attempt} times`,
              'retry later, or raise maxAttempts when many writers update this branch at once',
            );
          }
          // Full jitter over a window 2, 4, 8... attempts long, an attempt being the slowest one
          // so far: competing writers spread out instead of colliding again, and the window
          // fits the server (a fixed one is too short when slow, wasteful when fast).
          slowest = Math.max(slowest, Date.now() - started);
          const unit = Math.max(100, slowest);
          await sleep(Math.random() * Math.min(60_000, unit * 2 ** attempt));
        }
      } finally {
        await signing?.cleanup();
      }
    }),
  );
  if (result.changed) forgetObservations(url, req.branch);
  return result;
}

/** The writes and deletions of a request, their paths checked; refused when one path is both. */
function checkedChanges(req: Pick<CommitRequest, 'files' | 'deletions'>): {
  deletions: string[];
  writes: Array<readonly [string, string]>;
} {
  const writes = Object.entries(req.files ?? {}).map(([p, c]) => [checkPath(p), c] as const);
  const deletions = (req.deletions ?? []).map((p) => checkPath(p, 'deletion'));
  const written = new Set(writes.map(([p]) => p));
  const clash = deletions.find((d) => written.has(d));
  if (clash) throw new GitError('input', `"${clash}" is both written and deleted`, 'list it in files or in deletions, not both');
  return { deletions, writes };
}

function checkAuthor(req: Pick<CommitRequest, 'message' | 'author'>): void {
  if (!req.message?.trim()) throw new GitError('input', 'the commit message is empty', 'give a commit message');
  if (!req.author?.name || !req.author?.email)
    throw new GitError('input', 'the commit author needs a name and an email', 'give author: {name, email}');
}

/** Stores the new contents once: retries reuse the blob ids of contents already stored. */
async function hashBlobs(
  s: GitSession,
  writes: ReadonlyArray<readonly [string, string]>,
  hashed: Map<string, string>,
): Promise<Array<[string, string]>> {
  const fresh = [...new Set(writes.map(([, content]) => content).filter((c) => !hashed.has(c)))];
  if (fresh.length > 0) {
    const work = fs.mkdtempSync(path.join(s.dir, 'blobs-'));
    const files = fresh.map((content, i) => {
      const f = path.join(work, String(i));
      fs.writeFileSync(f, content);
      return f;
    });
    const r = await s.git(['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: files.join('\n') + '\n' });
    const oids = r.stdout.toString('utf8').trim().split('\n');
    fresh.forEach((content, i) => hashed.set(content, oids[i]));
  }
  return writes.map(([p, content]) => [p, hashed.get(content)!]);
}

/** The new commit's id, or null when the tree would not change. */
async function buildCommit(
  s: GitSession,
  base: string | null,
  blobs: Array<[string, string]>,
  deletions: string[],
  req: CommitRequest,
  signing?: Awaited<ReturnType<typeof prepareSigning>>,
): Promise<string | null> {
  const index = path.join(s.dir, 'index');
  fs.rmSync(index, { force: true });
  const env = { GIT_INDEX_FILE: index };
  if (base) await s.git(['read-tree', base], { env });
  if (req.expect) await checkExpected(s, env, req.expect, base, req.branch);
  const records: string[] = [];
  if (base && deletions.length) {
    // Deletions may name directories: expand them against the base tree's file list.
    const r = await s.git(['--literal-pathspecs', 'ls-files', '-z', '--', ...deletions], { env });
    for (const p of r.stdout.toString('utf8').split('\0')) if (p) records.push(`0 ${'0'.repeat(40)}\t${p}`);
  }
  for (const [p, oid] of blobs) records.push(`100644 ${oid}\t${p}`);
  if (records.length) await s.git(['update-index', '--add', '--replace', '-z', '--index-info'], { env, input: records.join('\0') + '\0' });
  // --missing-ok: the base tree's blobs were never fetched, and need not be.
  const tree = (await s.git(['write-tree', '--missing-ok'], { env })).stdout.toString('utf8').trim();
  if (base) {
    const baseTree = (await s.git(['rev-parse', `${base}^{tree}`])).stdout.toString('utf8').trim();
    if (tree === baseTree) return null;
  } else if (blobs.length === 0) {
    return null; // nothing to write into an empty branch
  }
  const who = {
    GIT_AUTHOR_NAME: req.author.name,
    GIT_AUTHOR_EMAIL: req.author.email,
    GIT_COMMITTER_NAME: req.author.name,
    GIT_COMMITTER_EMAIL: req.author.email,
  };
  const args = [...(signing?.configArgs ?? []), 'commit-tree', tree, ...(base ? ['-p', base] : []), ...(signing ? ['-S'] : []), '-F', '-'];
  const r = await s.git(args, { env: { ...who, ...signing?.env }, input: req.message.endsWith('\n') ? req.message : req.message + '\n' });
  return r.stdout.toString('utf8').trim();
}

async function checkExpected(
  s: GitSession,
  env: Record<string, string>,
  expect: Record<string, string | null>,
  base: string | null,
  branch: string,
): Promise<void> {
  const paths = Object.keys(expect);
  if (paths.length === 0) return;
  const r = await s.git(['--literal-pathspecs', 'ls-files', '-s', '-z', '--', ...paths], { env });
  const found: Record<string, string> = {};
  for (const rec of r.stdout.toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    found[rec.slice(tab + 1)] = rec.slice(0, tab).split(' ')[1];
  }
  const moved = paths.filter((p) => (found[p] ?? null) !== expect[p]);
  if (moved.length === 0) return;
  // name the commit that holds the other writer's files: the tip this attempt was built on
  const how = (p: string) => (expect[p] === null ? 'created' : found[p] === undefined ? 'deleted' : 'changed');
  const what = moved.map((p) => `${p} (${how(p)})`).join(', ');
  throw new GitError(
    'conflict',
    `another writer got there first: ${what} on ${branch} after this run read it; the branch head ${base ?? '(none)'} holds the other writer's version, and nothing was pushed`,
    'make sure one stack (or tool) owns each cluster path: give this one another path, or take the files over (adopt) once the other owner has let go; then run again',
  );
}

async function pushCommit(s: GitSession, commit: string, branch: string): Promise<'ok' | 'race'> {
  // --no-thin: a thin pack deltas our files against the versions they replace, whose blobs this
  // blob-less fetch never got, so git would first fetch them back (a second session, and the
  // old gotk-components.yaml's bytes) to send a smaller pack
  const r = await s.git(['push', '--porcelain', '--no-verify', '--no-thin', 'origin', `${commit}:refs/heads/${branch}`], {
    allowFail: true,
  });
  const out = r.stdout.toString('utf8');
  const line = out.split('\n').find((l) => l.includes(`:refs/heads/${branch}\t`));
  if (r.code === 0 && line && !line.startsWith('!')) return 'ok';
  if (line?.startsWith('!')) {
    const reason = s.redact(line.split('\t').slice(2).join(' '));
    if (RACE.test(reason) || RACE.test(r.stderr)) return 'race';
    throw new GitError(
      'rejected',
      `${s.context.url} refused the push to ${branch}: ${reason}`,
      'check branch protection rules and that the credentials may push to this branch',
      s.redact(r.stderr).trim().slice(-2000),
    );
  }
  throw s.fail(r.stderr);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
