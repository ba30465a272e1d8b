// For ControllerInstall's wait: does a revision Flux reports contain the commit SyncManifests
// pushed? Others (workloads, the other clusters of a fleet) commit to the same branch, so Flux
// is often Ready at a newer commit. Asked of the URL Flux pulls from, with Flux's own
// credentials, commit objects only (git/ancestry.ts), shared per repository in the process.
import { toGitAuth } from './git-auth';
import type { CredentialsInputs } from './install-state';

// loaded on use: check and diff need no git client
const git = () => require('../git') as typeof import('../git');

const COMMIT = /(?:^|[@:])(?:sha1|sha256):([0-9a-f]{40}(?:[0-9a-f]{24})?)$/;

/** The commit id of `<branch>@sha1:<commit>`, or undefined. */
export function commitOfRevision(revision: string): string | undefined {
  return COMMIT.exec(revision)?.[1];
}

export function revisionContains(
  url: string,
  branch: string,
  credentials: CredentialsInputs | undefined,
  pushed: string,
): (revision: string) => Promise<boolean> {
  return async (revision) => {
    const commit = commitOfRevision(revision);
    if (!commit || !revision.startsWith(`${branch}@`)) return false;
    const { publicKey: _public, ...auth } = credentials ?? {};
    return git().sharedContains(url, toGitAuth(auth), branch, commit, pushed);
  };
}
