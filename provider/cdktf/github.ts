// GitHub: the repository (created, or an existing one read through a data source), the deploy
// key, the three files, and the host keys GitHub publishes for known_hosts.
import { Branch } from '@cdktf/provider-github/lib/branch';
import { DataGithubRepository } from '@cdktf/provider-github/lib/data-github-repository';
import { DataGithubSshKeys } from '@cdktf/provider-github/lib/data-github-ssh-keys';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { Repository } from '@cdktf/provider-github/lib/repository';
import { RepositoryDeployKey } from '@cdktf/provider-github/lib/repository-deploy-key';
import { RepositoryFile } from '@cdktf/provider-github/lib/repository-file';
import { Fn, type ITerraformDependable, type TerraformProvider } from 'cdktf';
import type { GitHubRepositoryProps } from './props';
import { literal } from './literal';
import type { RepositoryInputs, RepositorySide } from './repository-side';

export function githubRepository(input: RepositoryInputs & { repo: GitHubRepositoryProps }): RepositorySide {
  const { scope, repo } = input;
  const app = repo.auth;
  const provider: TerraformProvider =
    repo.provider ??
    new GithubProvider(scope, 'github', {
      alias: `${input.alias}-github`,
      owner: repo.owner,
      baseUrl: repo.baseUrl,
      ...(app ? { appAuth: { id: app.appId, installationId: app.installationId, pemFile: app.privateKey } } : { token: repo.token }),
    });

  let name: string;
  let url: string;
  const after: ITerraformDependable[] = [];
  if (repo.create ?? true) {
    const created = new Repository(scope, 'repository', {
      provider,
      name: repo.name,
      description: repo.description,
      visibility: repo.visibility ?? 'private',
      autoInit: true, // the branch must exist before files can be written to it
      archiveOnDestroy: repo.archiveOnDestroy ?? true,
    });
    name = created.name;
    url = created.htmlUrl;
    // auto_init makes "main"; another branch is made from it
    if (input.branch !== 'main') after.push(new Branch(scope, 'branch', { provider, repository: name, branch: input.branch }));
  } else {
    const existing = new DataGithubRepository(scope, 'repository', { provider, fullName: `${repo.owner}/${repo.name}` });
    name = existing.name;
    url = existing.htmlUrl;
  }

  // a GitHub App pulls with installation tokens: no deploy key, no known_hosts
  const deployKey = app
    ? undefined
    : new RepositoryDeployKey(scope, 'deploy-key', {
        provider,
        repository: name,
        title: input.title,
        key: input.publicKey,
        readOnly: input.readOnly,
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
      Fn.join(
        '\n',
        Fn.formatlist('%s %s', [input.knownHostsName, new DataGithubSshKeys(scope, 'ssh-keys', { provider }).keys]) as string[],
      ));
  return { url, knownHosts, deployKey, files };
}
