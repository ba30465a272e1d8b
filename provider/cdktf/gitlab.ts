// GitLab: the project (created in the owner group, or the token user's namespace with
// `personal`, or an existing one through a data source), the deploy key and the three files.
import { DataGitlabGroup } from '@cdktf/provider-gitlab/lib/data-gitlab-group';
import { DataGitlabProject } from '@cdktf/provider-gitlab/lib/data-gitlab-project';
import { DeployKey } from '@cdktf/provider-gitlab/lib/deploy-key';
import { Branch } from '@cdktf/provider-gitlab/lib/branch';
import { Project } from '@cdktf/provider-gitlab/lib/project';
import { GitlabProvider } from '@cdktf/provider-gitlab/lib/provider';
import { RepositoryFile } from '@cdktf/provider-gitlab/lib/repository-file';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import type { GitLabRepositoryProps } from './props';
import { literal } from './literal';
import type { RepositoryInputs, RepositorySide } from './repository-side';

const VISIBILITY = { private: 'private', internal: 'internal', public: 'public' } as const;

export function gitlabRepository(input: RepositoryInputs & { repo: GitLabRepositoryProps }): RepositorySide {
  const { scope, repo } = input;
  const provider: TerraformProvider =
    repo.provider ?? new GitlabProvider(scope, 'gitlab', { alias: `${input.alias}-gitlab`, token: repo.token, baseUrl: repo.baseUrl });

  let project: string;
  let url: string;
  const after: ITerraformDependable[] = [];
  if (repo.create ?? true) {
    const group = repo.personal ? undefined : new DataGitlabGroup(scope, 'group', { provider, fullPath: repo.owner });
    const created = new Project(scope, 'project', {
      provider,
      name: repo.name,
      path: repo.name,
      namespaceId: group ? group.groupId : undefined,
      description: repo.description,
      visibilityLevel: VISIBILITY[repo.visibility ?? 'private'],
      initializeWithReadme: true, // the branch must exist before files can be written to it
      defaultBranch: 'main',
    });
    project = created.id;
    url = created.webUrl;
    if (input.branch !== 'main') after.push(new Branch(scope, 'branch', { provider, project, name: input.branch, ref: 'main' }));
  } else {
    const existing = new DataGitlabProject(scope, 'project', { provider, pathWithNamespace: `${repo.owner}/${repo.name}` });
    project = existing.id;
    url = existing.webUrl;
  }

  const deployKey = new DeployKey(scope, 'deploy-key', {
    provider,
    project,
    title: input.title,
    key: input.publicKey,
    canPush: !input.readOnly,
  });

  const files: RepositoryFile[] = [];
  for (const [path, content] of input.files) {
    const prev = files.at(-1);
    files.push(
      new RepositoryFile(
        scope,
        `file-${path
          .split('/')
          .pop()!
          .replace(/\.yaml$/, '')}`,
        {
          provider,
          project,
          branch: input.branch,
          filePath: path,
          content: literal(content),
          encoding: 'text',
          commitMessage: input.messages[path],
          authorName: input.author.name,
          ...(input.author.email ? { authorEmail: input.author.email } : {}),
          overwriteOnCreate: true, // adopt files an earlier `flux bootstrap` wrote
          dependsOn: prev ? [prev] : after.length ? after : undefined,
        },
      ),
    );
  }
  // validated before: GitLab has no data source for its SSH host keys
  return { url, knownHosts: repo.knownHosts!, deployKey, files };
}
