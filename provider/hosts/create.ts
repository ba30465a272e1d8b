// createGitHost picks the GitHost for the `provider` input and loads only that host's module:
// a plain git server needs none of the API clients (@octokit, @gitbeaker), which would cost a
// first install about 70 ms before its first commit.
import { InputError } from '../errors';
import type { ApiHostOptions } from './options';
import type { PlainGitOptions } from './plain-git';
import type { GitHost } from './types';

export type HostKind = 'github' | 'gitlab' | 'gitea' | 'git';

export type HostConfig = ({ provider: 'github' | 'gitlab' | 'gitea' } & ApiHostOptions) | ({ provider: 'git' } & PlainGitOptions);

export function createGitHost(config: HostConfig): GitHost {
  switch (config.provider) {
    case 'github':
      return new (require('./github') as typeof import('./github')).GitHubHost(config);
    case 'gitlab':
      return new (require('./gitlab') as typeof import('./gitlab')).GitLabHost(config);
    case 'gitea':
      return new (require('./gitea') as typeof import('./gitea')).GiteaHost(config);
    case 'git':
      return new (require('./plain-git') as typeof import('./plain-git')).PlainGitHost(config);
    default:
      throw new InputError({
        field: 'provider',
        value: (config as { provider: unknown }).provider,
        reason: 'is not a known Git host',
        remedy: 'use one of "github", "gitlab", "gitea", "git"',
      });
  }
}
