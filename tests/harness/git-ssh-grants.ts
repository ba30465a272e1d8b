// The git-ssh service's grants: which key may fetch (ro) or push (rw) which repository, kept in
// <stateDir>/grants.json and rendered into sshd's authorized_keys under a lock, so any process may
// change them while sshd runs (sshd reads authorized_keys on each login).
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Access = 'ro' | 'rw';

export interface Grant {
  /** public key in authorized_keys form (`ssh-ed25519 AAAA... [comment]`) */
  publicKey: string;
  /** repository name as in urlFor(), e.g. `owner/repo` */
  repo: string;
  access: Access;
  /** who granted it: 'test' for grantKey(), the fake API's name for setKeyGrants() */
  source?: string;
  /** the deploy key's title, when it was registered under one (the plain-git key command) */
  title?: string;
}

const REPO_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

export function checkRepoName(name: string): string {
  const n = name.replace(/\.git$/, '');
  if (!REPO_NAME.test(n) || n.split('/').some((p) => p === '.' || p === '..')) {
    throw new Error(`bad repository name ${JSON.stringify(name)}: use letters, digits, ._- and / between parts`);
  }
  return n;
}

/** `type base64` of a public key line: what identifies a key. */
export function keyId(publicKey: string): string {
  const parts = publicKey.trim().split(/\s+/);
  const i = parts.findIndex((p) => /^(ssh-|ecdsa-|sk-)/.test(p));
  if (i < 0 || !parts[i + 1]) throw new Error(`not an OpenSSH public key: ${publicKey.slice(0, 40)}...`);
  return `${parts[i]} ${parts[i + 1]}`;
}

export function grantsFile(stateDir: string): string {
  return path.join(stateDir, 'grants.json');
}

function readGrants(stateDir: string): Grant[] {
  try {
    return JSON.parse(fs.readFileSync(grantsFile(stateDir), 'utf8')) as Grant[];
  } catch {
    return [];
  }
}

function withGrantsLock<T>(stateDir: string, fn: () => T): T {
  const lock = path.join(stateDir, 'grants.lock');
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function writeAtomically(file: string, content: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}

/** authorized_keys from the grants: one line per key (sshd uses the first line that matches
 *  a key, so a key with several grants gets them all in one forced command). */
function renderAuthorizedKeys(stateDir: string, grants: Grant[]): string {
  const serve = path.join(stateDir, 'git-serve');
  const reposDir = JSON.parse(fs.readFileSync(path.join(stateDir, 'layout.json'), 'utf8')).reposDir as string;
  const byKey = new Map<string, Map<string, Access>>();
  for (const g of grants) {
    const id = keyId(g.publicKey);
    const repos = byKey.get(id) ?? new Map<string, Access>();
    // rw wins over ro when two sources grant the same key the same repository
    if (repos.get(g.repo) !== 'rw') repos.set(g.repo, g.access);
    byKey.set(id, repos);
  }
  const lines = ['# managed by tests/harness/git-ssh.ts from grants.json; edits here are overwritten'];
  for (const [id, repos] of byKey) {
    const args = [...repos].map(([r, a]) => `${r}:${a}`).join(' ');
    lines.push(`command="${serve} ${reposDir} ${args}",restrict ${id}`);
  }
  return lines.join('\n') + '\n';
}

export function updateGrants(stateDir: string, change: (grants: Grant[]) => Grant[]): void {
  withGrantsLock(stateDir, () => {
    const next = change(readGrants(stateDir));
    for (const g of next) {
      checkRepoName(g.repo);
      keyId(g.publicKey);
    }
    writeAtomically(grantsFile(stateDir), JSON.stringify(next, null, 2) + '\n');
    writeAtomically(path.join(stateDir, 'authorized_keys'), renderAuthorizedKeys(stateDir, next));
  });
}

/** Lets the key fetch (ro) or fetch and push (rw) one repository; replaces an earlier grant
 *  of the same key to the same repository and, with a title, the key registered under that title
 *  for it (as GitHub, GitLab and Gitea replace a deploy key of the same title). */
export function grantKey(info: { stateDir: string }, publicKey: string, repo: string, access: Access, title?: string): void {
  const id = keyId(publicKey);
  const name = checkRepoName(repo);
  const same = (g: Grant) => g.source === 'test' && g.repo === name && (keyId(g.publicKey) === id || (!!title && g.title === title));
  updateGrants(info.stateDir, (gs) => [
    ...gs.filter((g) => !same(g)),
    { publicKey: id, repo: name, access, source: 'test', ...(title ? { title } : {}) },
  ]);
}

/** Removes the key's grants (to one repository, or all of them), whoever granted them. */
export function revokeKey(info: { stateDir: string }, publicKey: string, repo?: string): void {
  const id = keyId(publicKey);
  const name = repo === undefined ? undefined : checkRepoName(repo);
  updateGrants(info.stateDir, (gs) => gs.filter((g) => !(keyId(g.publicKey) === id && (name === undefined || g.repo === name))));
}

/** For a fake GitHub/GitLab/Gitea API server: replaces every grant made under `source` by
 *  `grants` (e.g. all registered deploy keys, `read_only` -> 'ro'), leaving the grants of other
 *  sources alone. Takes effect on the next SSH login; safe to call from any process. */
export function setKeyGrants(info: { stateDir: string }, source: string, grants: Omit<Grant, 'source'>[]): void {
  updateGrants(info.stateDir, (gs) => [
    ...gs.filter((g) => g.source !== source),
    ...grants.map((g) => ({ publicKey: keyId(g.publicKey), repo: checkRepoName(g.repo), access: g.access, source })),
  ]);
}

export function listGrants(info: { stateDir: string }): Grant[] {
  return readGrants(info.stateDir);
}
