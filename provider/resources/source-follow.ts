// ControllerInstall's answer when the user's kustomization.yaml moves Flux elsewhere
// (tracked-source.ts): the install applies the patched objects (as Flux does, so neither undoes
// the other), and the wait follows the branch Flux fetches when that branch holds the commit
// SyncManifests pushed. When it does not (another branch not merged yet, a tag, a semver range,
// a commit, another URL), Flux would never apply that commit, and applying its controllers
// would fight Flux, which applies what it does fetch: so the install fails at once, before it
// writes anything, saying where Flux pulls from and what to do, instead of waiting out its
// timeout.
import { ClusterError } from '../cluster/errors';
import type { DesiredState } from '../desired-state';
import { text } from '../text';
import { FIELDS, nsOf, type ControllerInstallInputs } from './controller-install-inputs';
import { pickOptions, renderDesired } from './engine-options';
import { describeRef, moveNotice, sourceMove, type SourceMove } from './tracked-source';

// loaded on use: check and diff need no git client
const git = () => require('../git') as typeof import('../git');
const toGitAuth = (a: import('./git-auth').AuthInputs) => (require('./git-auth') as typeof import('./git-auth')).toGitAuth(a);

/** The same options without the kustomization.yaml patches: where SyncManifests commits. */
export async function sourceMoveOf(p: ControllerInstallInputs, d: DesiredState): Promise<SourceMove | undefined> {
  if (d.sourceKind !== 'git') return undefined;
  const { kustomization: _patches, ...plain } = pickOptions(p, FIELDS);
  return sourceMove(d, await renderDesired(plain, p), nsOf(p));
}

/** The branch to wait on: Flux's own when it holds the pushed commit, else a failure that says why. */
export async function branchToWaitOn(p: ControllerInstallInputs, d: DesiredState, say: (m: string) => void): Promise<string> {
  const branch = text(p.branch ?? 'main');
  const move = await sourceMoveOf(p, d);
  if (!move) return branch;
  say(moveNotice(move, d.directory));
  if (!move.refMoved || !p.commit || typeof p.url !== 'string') return branch;
  const { ref } = move.tracked;
  const commit = p.commit.slice(0, 12);
  if (ref.kind === 'branch' && move.tracked.url === move.pushed.url) {
    const { publicKey: _public, ...auth } = p.credentials ?? {};
    const head = await git().sharedRemoteHead(p.url, toGitAuth(auth), ref.value);
    if (head && (await git().sharedContains(p.url, toGitAuth(auth), ref.value, head, p.commit))) {
      say(`branch "${ref.value}" holds ${commit}: waiting for Flux there`);
      return ref.value;
    }
  }
  const where = move.tracked.url === move.pushed.url ? describeRef(ref) : `${move.tracked.url} (${describeRef(ref)})`;
  throw new ClusterError(
    `Flux pulls from ${where}, not from branch "${branch}" where SyncManifests pushed ${commit}: the kustomization.yaml committed in ${d.directory} patches ${move.patched}, and ${where} does not hold ${commit}. Flux would never apply it, and installing these controllers would fight Flux over what ${where} holds; nothing was applied`,
    ref.kind === 'branch' && move.tracked.url === move.pushed.url
      ? `merge "${branch}" into "${ref.value}" (Flux then applies ${commit} itself) and run up again, or remove the patch from kustomization.yaml so Flux pulls from "${branch}"`
      : `point ${where} at a commit that contains ${commit}, or remove the patch from kustomization.yaml so Flux pulls from branch "${branch}"`,
  );
}
