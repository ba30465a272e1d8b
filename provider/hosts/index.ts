// Git hosts: create or adopt the repository, register the deploy key. One interface (GitHost),
// four implementations; createGitHost picks one from the `provider` input.
import { InputError } from '../errors';
import { GiteaHost } from './gitea';
import { GitHubHost } from './github';
import { GitLabHost } from './gitlab';
import type { ApiHostOptions } from './options';
import { PlainGitHost, type PlainGitOptions } from './plain-git';
import type { GitHost } from './types';

export type * from './types';
export type { ApiHostOptions } from './options';
export type { PlainGitOptions } from './plain-git';
export { GitHubHost, GitLabHost, GiteaHost, PlainGitHost };
export { deployKeyTitle, fluxRelativePath, type DeployKeyTitleInput } from './titles';
export { githubEndpoints, gitlabEndpoints, giteaEndpoints, sshCloneUrl, httpsCloneUrl, type Endpoints } from './urls';
export { HostError, scrub } from './host-error';
export { publicKeyId } from './deploy-keys';
export { GitHubApp, githubApp, type GitHubAppAuth, type AppInstallation } from './github-app';

export type HostKind = 'github' | 'gitlab' | 'gitea' | 'git';

export type HostConfig =
  | ({ provider: 'github' | 'gitlab' | 'gitea' } & ApiHostOptions)
  | ({ provider: 'git' } & PlainGitOptions);

export function createGitHost(config: HostConfig): GitHost {
  switch (config.provider) {
    case 'github': return new GitHubHost(config);
    case 'gitlab': return new GitLabHost(config);
    case 'gitea': return new GiteaHost(config);
    case 'git': return new PlainGitHost(config);
    default:
      throw new InputError({ field: 'provider', value: (config as { provider: unknown }).provider, reason: 'is not a known Git host', remedy: 'use one of "github", "gitlab", "gitea", "git"' });
  }
}
