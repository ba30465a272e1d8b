// The pure side of SyncManifests: which of our files a commit must write or remove, judged by
// git blob ids only (desired, computed locally, against observed or stored), and the one-line
// plan a preview shows. No I/O here.
import type { DesiredState } from '../desired-state';
import { COMPONENTS_FILE, KUSTOMIZATION_FILE, SYNC_FILE } from '../generate/file-names';
import { countLineChanges, formatCounts } from './line-diff';

export const OUR_FILES = [COMPONENTS_FILE, SYNC_FILE, KUSTOMIZATION_FILE];

export function join(dir: string, file: string): string {
  return dir === '' ? file : `${dir}/${file}`;
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function isKustomization(path: string): boolean {
  return path === KUSTOMIZATION_FILE || path.endsWith(`/${KUSTOMIZATION_FILE}`);
}

/**
 * Blob ids of the files we own outright. kustomization.yaml belongs to the user once written
 * (flux writes it only when absent), so it is in here only when the `kustomization` input
 * manages it.
 */
export function desiredBlobIds(d: DesiredState, managed: boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(d.blobIds).filter(([p]) => managed || !isKustomization(p)));
}

export interface FileChanges {
  /** paths to (re)write */
  write: string[];
  /** paths to remove: our files left in a previous directory */
  remove: string[];
}

/**
 * What a commit must change so that `observed` (path -> blob id of our files, possibly in an
 * older directory) matches `desired` in `dir`: changed or missing files are written, the
 * kustomization.yaml only when managed or absent, and our files elsewhere removed.
 */
export function fileChanges(desired: Record<string, string>, observed: Record<string, string>, dir: string): FileChanges {
  const write = Object.keys(desired).filter((p) => observed[p] !== desired[p]);
  const kustomization = join(dir, KUSTOMIZATION_FILE);
  if (!(kustomization in desired) && observed[kustomization] === undefined) write.push(kustomization);
  const remove = Object.keys(observed).filter((p) => dirOf(p) !== dir);
  return { write: write.sort(), remove: remove.sort() };
}

/** Our files' blob ids once those changes are committed: what a preview reports as `files`. A
 *  kustomization.yaml written without being desired (unmanaged and absent) is `unknown` till then. */
export function filesAfter(desired: Record<string, string>, observed: Record<string, string>, dir: string, unknown: string) {
  const c = fileChanges(desired, observed, dir);
  const out: Record<string, string> = { ...observed };
  for (const p of c.remove) delete out[p];
  for (const p of c.write) out[p] = desired[p] ?? unknown;
  return out;
}

export function hasChanges(c: FileChanges): boolean {
  return c.write.length > 0 || c.remove.length > 0;
}

/** The commit message: flux's own wording when one kind of file changes. */
export function commitMessage(c: FileChanges, d: DesiredState, appendix: string): string {
  const tail = appendix ? `\n\n${appendix}` : '';
  const names = new Set(c.write.map((p) => p.slice(p.lastIndexOf('/') + 1)));
  const oldDirs = [...new Set(c.remove.map(dirOf))];
  if (oldDirs.length > 0 && names.size > 0)
    return `Move Flux ${d.version} manifests from ${oldDirs.join(', ') || '.'} to ${d.directory}${tail}`;
  if (names.size === 0) return `Remove Flux manifests from ${oldDirs.join(', ') || '.'}${tail}`;
  if (!names.has(COMPONENTS_FILE)) return d.commitMessages.sync;
  if (!names.has(SYNC_FILE)) return d.commitMessages.components;
  return `Add Flux ${d.version} component and sync manifests${tail}`;
}

/**
 * One line per changed file, e.g. `clusters/prod/flux-system/gotk-components.yaml +12 -12`,
 * comparing the files last rendered (old inputs) with the new ones. Empty when nothing changes.
 */
export function planSummary(before: DesiredState | undefined, after: DesiredState, managed: boolean): string {
  const next = desiredBlobIds(after, managed);
  if (!before)
    return Object.keys(next)
      .concat(managed ? [] : [join(after.directory, KUSTOMIZATION_FILE) + ' (if absent)'])
      .map((p) => `create ${p}`)
      .join('\n');
  const lines: string[] = [];
  if (before.directory !== after.directory) lines.push(`move ${before.directory} -> ${after.directory}`);
  for (const [p, id] of Object.entries(next)) {
    const old = before.files[join(before.directory, p.slice(p.lastIndexOf('/') + 1))];
    if (old === undefined) lines.push(`create ${p}`);
    else if (before.blobIds[join(before.directory, p.slice(p.lastIndexOf('/') + 1))] !== id)
      lines.push(`${p} ${formatCounts(countLineChanges(old, after.files[p]))}`);
  }
  return lines.join('\n');
}
