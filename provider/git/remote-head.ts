// The cheapest observation of a branch: one ls-remote round trip, no objects transferred.
import { withGitSession } from './session';
import { checkBranch } from './remote-url';
import type { GitAuth } from './auth';

/** The commit the branch points at, or null when the branch (or the whole repository) is empty. */
export async function remoteHead(url: string, auth: GitAuth, branch: string): Promise<string | null> {
  checkBranch(branch);
  const ref = `refs/heads/${branch}`;
  return withGitSession(url, auth, {}, async (s) => {
    const r = await s.git(['ls-remote', '--', url, ref]);
    for (const line of r.stdout.toString('utf8').split('\n')) {
      const [sha, name] = line.split('\t');
      if (name === ref && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
    }
    return null;
  });
}
