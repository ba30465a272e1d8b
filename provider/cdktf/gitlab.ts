// GitLab: the project (created in the owner group, or the token user's namespace with
// `personal`, or an existing one through a data source), the deploy key and the three files.
import {
  dataGitlabGroup,
  dataGitlabProject,
  gitlabBranch,
  gitlabDeployKey,
  gitlabProject,
  gitlabProvider,
  gitlabRepositoryFile,
} from './bindings/gitlab';
import type { GitLabRepositoryProps } from './props';
import { literal } from './literal';
import type { RepositorySide } from './construct-parts';
import type { RepositoryInputs } from './repository-side';
import type { Dependable, TerraformProviderRef } from './terraform-types';

const VISIBILITY = { private: 'private', internal: 'internal', public: 'public' } as const;

export function gitlabRepository(input: RepositoryInputs & { repo: GitLabRepositoryProps }): RepositorySide {
  const { cdk, scope, repo } = input;
  const provider: TerraformProviderRef =
    repo.provider ??
    new (gitlabProvider(cdk))(scope, 'gitlab', { alias: `${input.alias}-gitlab`, token: repo.token, baseUrl: repo.baseUrl });

  let project: string;
  let url: string;
  const after: Dependable[] = [];
  if (repo.create ?? true) {
    const group = repo.personal ? undefined : new (dataGitlabGroup(cdk))(scope, 'group', { provider, fullPath: repo.owner });
    const created = new (gitlabProject(cdk))(scope, 'project', {
      provider,
      name: repo.name,
      path: repo.name,
      namespaceId: group ? group.getNumberAttribute('group_id') : undefined,
      description: repo.description,
      visibilityLevel: VISIBILITY[repo.visibility ?? 'private'],
      initializeWithReadme: true, // the branch must exist before files can be written to it
      defaultBranch: 'main',
    });
    project = created.getStringAttribute('id');
    url = created.getStringAttribute('web_url');
    if (input.branch !== 'main')
      after.push(new (gitlabBranch(cdk))(scope, 'branch', { provider, project, name: input.branch, ref: 'main' }));
  } else {
    const existing = new (dataGitlabProject(cdk))(scope, 'project', { provider, pathWithNamespace: `${repo.owner}/${repo.name}` });
    project = existing.getStringAttribute('id');
    url = existing.getStringAttribute('web_url');
  }

  const deployKey = new (gitlabDeployKey(cdk))(scope, 'deploy-key', {
    provider,
    project,
    title: input.title,
    key: input.publicKey,
    canPush: !input.readOnly,
  });

  const File = gitlabRepositoryFile(cdk);
  const files: Dependable[] = [];
  for (const [path, content] of input.files) {
    const prev = files.at(-1);
    files.push(
      new File(
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
