// The user's own kustomization.yaml. `flux bootstrap` writes it only when absent and applies
// the kustomization at install, so patches a user committed to it count. When the program does
// not manage that file (no `kustomization` input), SyncManifests reads it from the tree it
// already fetched (its content only when its blob id changed) and ControllerInstall applies the
// objects with its patches: otherwise `up` would apply unpatched controllers and
// kustomize-controller re-patch them, forever.
import type { DesiredState } from '../desired-state';
import type { GitAuth } from '../git';
import { text } from '../text';
import { hasUnknown } from './common';

// loaded on use: a check that finds nothing changed needs neither the YAML emitter nor the git client
const git = () => require('../git') as typeof import('../git');
const toGitAuth = (a: import('./git-auth').AuthInputs) => (require('./git-auth') as typeof import('./git-auth')).toGitAuth(a);
const generator = () => require('../generate/kustomization') as typeof import('../generate/kustomization');

/** The content to hand to ControllerInstall: '' when the file is absent or the generated one. */
export async function committedKustomization(
  read: { url: string; auth: GitAuth; branch: string },
  path: string,
  observedId: string | undefined,
  generatedId: string | undefined,
  prior: string | undefined,
): Promise<string> {
  if (!observedId || observedId === generatedId) return '';
  if (prior && git().blobId(prior) === observedId) return prior;
  return (await git().readBlobs(read.url, read.auth, read.branch, [path])).files[path] ?? '';
}

/** ControllerInstall's engine options: the committed kustomization.yaml's patches count when
 *  the program does not manage the file itself. A file that is not a valid Flux kustomization
 *  (Flux cannot build it either) leaves the objects unpatched rather than failing the preview
 *  over a file this program does not own. */
export function withCommittedKustomization(options: Record<string, unknown>, committed: unknown): Record<string, unknown> {
  if (options.kustomization !== undefined || typeof committed !== 'string' || committed === '') return options;
  try {
    generator().checkKustomizationContent(committed);
  } catch {
    return options;
  }
  return { ...options, kustomization: { content: committed } };
}

/** At a preview that will commit, before SyncManifests has read the repository: the
 *  kustomization.yaml committed now, read from the URL Flux pulls from with its credentials (one
 *  git session); '' when it is the generated one, undefined when it cannot be read here. */
export async function committedAtPreview(p: Record<string, unknown>, d: DesiredState): Promise<string | undefined> {
  if (typeof p.url !== 'string' || d.sourceKind !== 'git' || hasUnknown(p.credentials) || hasUnknown(p.branch)) return undefined;
  const path = Object.keys(d.files).find((f) => f.endsWith('/kustomization.yaml') || f === 'kustomization.yaml');
  if (!path) return undefined;
  const { publicKey: _public, ...auth } = (p.credentials ?? {}) as Record<string, string>;
  try {
    const content = (await git().readBlobs(p.url, toGitAuth(auth), text(p.branch ?? 'main'), [path])).files[path];
    if (content === null || content === undefined) return '';
    return git().blobId(content) === d.blobIds[path] ? '' : content;
  } catch {
    return undefined;
  }
}
