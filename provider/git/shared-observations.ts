// Observations of a branch shared by every resource in this process. A stack with fifty
// clusters in one repository refreshes fifty SyncManifests in one provider process; each asking
// the server on its own costs fifty round trips for one answer. Here concurrent and recent
// askers get the same answer: one ls-remote per repository, and at most one blob-less tree
// fetch when the branch moved. A commit made through commitFiles forgets what it outdated.
import * as crypto from 'node:crypto';
import { Secret } from '../secret';
import type { GitAuth } from './auth';
import { ancestryIn, branchHistory, type CommitHistory } from './ancestry';
import { readTree, type TreeListing } from './read-tree';
import { remoteHead } from './remote-head';

/** How long an answer is reused. A refresh or preview asks within seconds; a later operation
 *  of a long-lived process (an automation program) must look again. */
export const OBSERVATION_TTL_MS = 15_000;

interface Entry<T> {
  value: Promise<T>;
  at: number;
  target: string;
}
const entries = new Map<string, Entry<unknown>>();

/** Credentials are part of the key (hashed, never stored): what one key may read says
 *  nothing about what another may. */
function branchKeyOf(url: string, auth: GitAuth, branch: string): string {
  const who = crypto.createHash('sha256');
  const plain = (v: unknown) => (v instanceof Secret ? Secret.unwrap(v as Secret<string>) : v);
  for (const [k, v] of Object.entries(auth ?? {}).sort(([a], [b]) => a.localeCompare(b))) who.update(`${k}\0${String(plain(v))}\0`);
  return `${url}\0${branch}\0${who.digest('hex')}`;
}

const targetOf = (url: string, branch: string) => `${url}\0${branch}`;

function shared<T>(key: string, target: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = entries.get(key) as Entry<T> | undefined;
  if (hit && now - hit.at < OBSERVATION_TTL_MS) return hit.value;
  const value = load();
  entries.set(key, { value, at: now, target });
  // failures are not remembered: the next asker tries again
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  return value;
}

/** remoteHead, shared. */
export function sharedRemoteHead(url: string, auth: GitAuth, branch: string): Promise<string | null> {
  return shared(`head\0${branchKeyOf(url, auth, branch)}`, targetOf(url, branch), () => remoteHead(url, auth, branch));
}

/** The whole tree at the branch tip (blob ids, no contents), shared; filter it by directory. */
export function sharedTree(url: string, auth: GitAuth, branch: string): Promise<TreeListing> {
  return shared(`tree\0${branchKeyOf(url, auth, branch)}`, targetOf(url, branch), () => readTree(url, auth, branch, ''));
}

/** Whether `descendant` contains `ancestor` (or is it), from the branch's history fetched
 *  without trees or blobs, shared: a fleet of clusters waiting on one repository asks once
 *  per revision Flux reports. A window too short to tell counts as not proven (false). */
export async function sharedContains(url: string, auth: GitAuth, branch: string, descendant: string, ancestor: string): Promise<boolean> {
  if (descendant === ancestor) return true;
  const history = await shared<CommitHistory>(`history\0${branchKeyOf(url, auth, branch)}\0${descendant}`, targetOf(url, branch), () =>
    branchHistory(url, auth, branch, descendant, ancestor),
  );
  let answer = ancestryIn(history, descendant, ancestor);
  if (answer === 'cut') answer = ancestryIn(await branchHistory(url, auth, branch, descendant, ancestor), descendant, ancestor);
  return answer === 'yes';
}

/** Called after this process moved the branch (with whatever credentials): the next
 *  observation asks the server. */
export function forgetObservations(url: string, branch: string): void {
  const target = targetOf(url, branch);
  for (const [k, e] of entries) if (e.target === target) entries.delete(k);
}

/** For tests. */
export function clearObservations(): void {
  entries.clear();
}
