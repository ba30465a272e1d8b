// gitlabhq/gitlab: the provider block and the resources and data sources FluxBootstrap uses on
// GitLab, with the pins of @cdktf/provider-gitlab 15.6 (gitlabhq/gitlab 18.6.1).
import { dataSourceBinding, providerBinding, resourceBinding, type ProviderSpec } from './define';

export const GITLAB: ProviderSpec = { name: 'gitlab', source: 'gitlabhq/gitlab', version: '18.6.1', constraint: '~> 18.0' };

export const gitlabProvider = providerBinding<{ readonly token?: string; readonly baseUrl?: string }>(GITLAB, {
  baseUrl: 'string',
  token: 'string',
});

export interface GitlabProjectConfig {
  readonly name: string;
  readonly path?: string;
  readonly namespaceId?: number;
  readonly description?: string;
  readonly visibilityLevel?: string;
  readonly initializeWithReadme?: boolean;
  readonly defaultBranch?: string;
}

/** Attributes: id, web_url. */
export const gitlabProject = resourceBinding<GitlabProjectConfig>(GITLAB, 'gitlab_project', {
  defaultBranch: 'string',
  description: 'string',
  initializeWithReadme: 'boolean',
  name: 'string',
  namespaceId: 'number',
  path: 'string',
  visibilityLevel: 'string',
});

export const gitlabBranch = resourceBinding<{ readonly project: string; readonly name: string; readonly ref: string }>(
  GITLAB,
  'gitlab_branch',
  { name: 'string', project: 'string', ref: 'string' },
);

export interface GitlabDeployKeyConfig {
  readonly project: string;
  readonly title: string;
  readonly key: string;
  readonly canPush?: boolean;
}

export const gitlabDeployKey = resourceBinding<GitlabDeployKeyConfig>(GITLAB, 'gitlab_deploy_key', {
  canPush: 'boolean',
  key: 'string',
  project: 'string',
  title: 'string',
});

export interface GitlabRepositoryFileConfig {
  readonly project: string;
  readonly branch: string;
  readonly filePath: string;
  readonly content: string;
  readonly encoding?: string;
  readonly commitMessage?: string;
  readonly authorName?: string;
  readonly authorEmail?: string;
  readonly overwriteOnCreate?: boolean;
}

export const gitlabRepositoryFile = resourceBinding<GitlabRepositoryFileConfig>(GITLAB, 'gitlab_repository_file', {
  authorEmail: 'string',
  authorName: 'string',
  branch: 'string',
  commitMessage: 'string',
  content: 'string',
  encoding: 'string',
  filePath: 'string',
  overwriteOnCreate: 'boolean',
  project: 'string',
});

/** Attribute: group_id (a number). */
export const dataGitlabGroup = dataSourceBinding<{ readonly fullPath: string }>(GITLAB, 'gitlab_group', { fullPath: 'string' });

/** Attributes: id, web_url. */
export const dataGitlabProject = dataSourceBinding<{ readonly pathWithNamespace: string }>(GITLAB, 'gitlab_project', {
  pathWithNamespace: 'string',
});
