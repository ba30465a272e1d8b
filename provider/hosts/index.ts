// Git hosts: create or adopt the repository, register the deploy key. One interface (GitHost),
// four implementations; createGitHost picks one from the `provider` input.
import { GiteaHost } from './gitea';
import { GitHubHost } from './github';
import { GitLabHost } from './gitlab';
import { PlainGitHost } from './plain-git';

export type * from './types';
export type { ApiHostOptions } from './options';
export type { PlainGitOptions } from './plain-git';
export { GitHubHost, GitLabHost, GiteaHost, PlainGitHost };
export { deployKeyTitle, fluxRelativePath, type DeployKeyTitleInput } from './titles';
export { githubEndpoints, gitlabEndpoints, giteaEndpoints, sshCloneUrl, httpsCloneUrl, type Endpoints } from './urls';
export { HostError, scrub } from './host-error';
export { publicKeyId } from './deploy-keys';
export { GitHubApp, githubApp, type GitHubAppAuth, type AppInstallation } from './github-app';

export { createGitHost, type HostKind, type HostConfig } from './create';
