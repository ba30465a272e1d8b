// integrations/github: the provider block and the resources and data sources FluxBootstrap uses
// on GitHub, with the pins of @cdktf/provider-github 15.3 (integrations/github 6.9.0).
import { dataSourceBinding, providerBinding, resourceBinding, type ProviderSpec } from './define';

export const GITHUB: ProviderSpec = { name: 'github', source: 'integrations/github', version: '6.9.0', constraint: '~> 6.0' };

export interface GithubProviderConfig {
  readonly owner?: string;
  readonly baseUrl?: string;
  readonly token?: string;
  /** a GitHub App installation instead of a token */
  readonly appAuth?: { readonly id: string; readonly installationId: string; readonly pemFile: string };
}

export const githubProvider = providerBinding<GithubProviderConfig>(GITHUB, {
  appAuth: { block: { id: 'string', installationId: 'string', pemFile: 'string' } },
  baseUrl: 'string',
  owner: 'string',
  token: 'string',
});

export interface GithubRepositoryConfig {
  readonly name: string;
  readonly description?: string;
  readonly visibility?: string;
  readonly autoInit?: boolean;
  readonly archiveOnDestroy?: boolean;
}

/** Attributes: name, html_url. */
export const githubRepository = resourceBinding<GithubRepositoryConfig>(GITHUB, 'github_repository', {
  archiveOnDestroy: 'boolean',
  autoInit: 'boolean',
  description: 'string',
  name: 'string',
  visibility: 'string',
});

export const githubBranch = resourceBinding<{ readonly repository: string; readonly branch: string }>(GITHUB, 'github_branch', {
  branch: 'string',
  repository: 'string',
});

export interface GithubRepositoryDeployKeyConfig {
  readonly repository: string;
  readonly title: string;
  readonly key: string;
  readonly readOnly?: boolean;
}

export const githubRepositoryDeployKey = resourceBinding<GithubRepositoryDeployKeyConfig>(GITHUB, 'github_repository_deploy_key', {
  key: 'string',
  readOnly: 'boolean',
  repository: 'string',
  title: 'string',
});

export interface GithubRepositoryFileConfig {
  readonly repository: string;
  readonly branch?: string;
  readonly file: string;
  readonly content: string;
  readonly commitMessage?: string;
  readonly commitAuthor?: string;
  readonly commitEmail?: string;
  readonly overwriteOnCreate?: boolean;
}

export const githubRepositoryFile = resourceBinding<GithubRepositoryFileConfig>(GITHUB, 'github_repository_file', {
  branch: 'string',
  commitAuthor: 'string',
  commitEmail: 'string',
  commitMessage: 'string',
  content: 'string',
  file: 'string',
  overwriteOnCreate: 'boolean',
  repository: 'string',
});

/** Attributes: name, html_url. */
export const dataGithubRepository = dataSourceBinding<{ readonly fullName: string }>(GITHUB, 'github_repository', { fullName: 'string' });

/** Attribute: keys, GitHub's published SSH host keys. */
export const dataGithubSshKeys = dataSourceBinding<object>(GITHUB, 'github_ssh_keys', {});
