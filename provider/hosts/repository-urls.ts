// A repository's URLs from its host inputs alone, exactly as the GitHost implementations return
// them after their API calls: every one of them is a pure function of the inputs, so a preview
// (and the resources that need the sync URL, to render gotk-sync.yaml) can know them before
// the repository exists.
import { giteaEndpoints, githubEndpoints, gitlabEndpoints, httpsCloneUrl, sshCloneUrl } from './urls';

export interface RepositoryUrlInputs {
  host: 'github' | 'gitlab' | 'gitea' | 'git';
  owner?: string;
  name?: string;
  /** plain git: the one URL of the repository */
  url?: string;
  apiUrl?: string;
  sshHost?: string;
  syncTransport?: 'ssh' | 'https';
}

export interface RepositoryUrls {
  /** where commits are pushed: https on API hosts (with the token), the url on plain git */
  pushUrl: string;
  /** what Flux pulls from (gotk-sync.yaml's url) */
  syncUrl: string;
  httpsUrl: string;
  sshUrl: string;
}

/** The URLs of the repository; `githubApp`: Flux pulls over https with the App's tokens. */
export function repositoryUrls(i: RepositoryUrlInputs, githubApp = false): RepositoryUrls {
  if (i.host === 'git') {
    const u = String(i.url);
    return { pushUrl: u, syncUrl: u, httpsUrl: u, sshUrl: u };
  }
  const endpointsOf = i.host === 'github' ? githubEndpoints : i.host === 'gitlab' ? gitlabEndpoints : giteaEndpoints;
  const ends = endpointsOf(i.apiUrl, { sshHost: i.sshHost });
  const owner = String(i.owner);
  const name = String(i.name);
  const sshUrl = sshCloneUrl(ends.sshHost, owner, name);
  const httpsUrl = httpsCloneUrl(ends.webUrl, owner, name);
  const transport = githubApp ? 'https' : (i.syncTransport ?? 'ssh');
  return { pushUrl: httpsUrl, syncUrl: transport === 'ssh' ? sshUrl : httpsUrl, httpsUrl, sshUrl };
}
