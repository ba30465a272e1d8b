// GitHub: the repository (created, or an existing one read through a data source), the deploy
// key, the three files, and the host keys GitHub publishes for known_hosts.
import {
  dataGithubRepository,
  dataGithubSshKeys,
  githubBranch,
  githubProvider,
  githubRepository as repositoryBinding,
  githubRepositoryDeployKey,
  githubRepositoryFile,
} from './bindings/github';
import type { GitHubRepositoryProps } from './props';
import { literal } from './literal';
import type { RepositorySide } from './construct-parts';
import type { RepositoryInputs } from './repository-side';
import type { Dependable, TerraformProviderRef } from './terraform-types';

export function githubRepository(input: RepositoryInputs & { repo: GitHubRepositoryProps }): RepositorySide {
  const { cdk, scope, repo } = input;
  const app = repo.auth;
  const provider: TerraformProviderRef =
    repo.provider ??
    new (githubProvider(cdk))(scope, 'github', {
      alias: `${input.alias}-github`,
      owner: repo.owner,
      baseUrl: repo.baseUrl,
      ...(app ? { appAuth: { id: app.appId, installationId: app.installationId, pemFile: app.privateKey } } : { token: repo.token }),
    });

  let name: string;
  let url: string;
  const after: Dependable[] = [];
  if (repo.create ?? true) {
    const created = new (repositoryBinding(cdk))(scope, 'repository', {
      provider,
      name: repo.name,
      description: repo.description,
      visibility: repo.visibility ?? 'private',
      autoInit: true, // the branch must exist before files can be written to it
      archiveOnDestroy: repo.archiveOnDestroy ?? true,
    });
    name = created.getStringAttribute('name');
    url = created.getStringAttribute('html_url');
    // auto_init makes "main"; another branch is made from it
    if (input.branch !== 'main') after.push(new (githubBranch(cdk))(scope, 'branch', { provider, repository: name, branch: input.branch }));
  } else {
    const existing = new (dataGithubRepository(cdk))(scope, 'repository', { provider, fullName: `${repo.owner}/${repo.name}` });
    name = existing.getStringAttribute('name');
    url = existing.getStringAttribute('html_url');
  }

  // a GitHub App pulls with installation tokens: no deploy key, no known_hosts
  const deployKey = app
    ? undefined
    : new (githubRepositoryDeployKey(cdk))(scope, 'deploy-key', {
        provider,
        repository: name,
        title: input.title,
        key: input.publicKey,
        readOnly: input.readOnly,
      });

  const File = githubRepositoryFile(cdk);
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
          repository: name,
          branch: input.branch,
          file: path,
          content: literal(content),
          commitMessage: input.messages[path],
          // GitHub wants both or neither; an empty email leaves the token's user as author
          ...(input.author.email ? { commitAuthor: input.author.name, commitEmail: input.author.email } : {}),
          overwriteOnCreate: true, // adopt files an earlier `flux bootstrap` wrote
          dependsOn: prev ? [prev] : after.length ? after : undefined,
        },
      ),
    );
  }

  const knownHosts = app
    ? ''
    : (repo.knownHosts ??
      // formatlist's result is a list token, which cdktf types as any
      cdk.Fn.join(
        '\n',
        cdk.Fn.formatlist('%s %s', [
          input.knownHostsName,
          new (dataGithubSshKeys(cdk))(scope, 'ssh-keys', { provider }).getListAttribute('keys'),
        ]) as string[],
      ));
  return { url, knownHosts, deployKey, files };
}
