// Repository: the Git repository Flux syncs from, got or created on its host.
import * as pulumi from '@pulumi/pulumi';
import { withSecretInputs, withSecretOutputs } from './options';
import { DynamicStubResource } from './dynamic-resource';
import type { GitHubAppArgs } from './args';

export type HostKind = 'github' | 'gitlab' | 'gitea' | 'git';

/** Which Git host and repository. API hosts take owner, name and token; plain git a url. */
export interface HostArgs {
  host: pulumi.Input<HostKind>;
  /** API hosts: user, organization or group path, e.g. "acme" or "group/subgroup" */
  owner?: pulumi.Input<string>;
  /** API hosts: repository name */
  name?: pulumi.Input<string>;
  /** plain git (`host: "git"`): the repository URL */
  url?: pulumi.Input<string>;
  /** API hosts: personal access token (stored encrypted) */
  token?: pulumi.Input<string>;
  /** GitHub and GitHub Enterprise: authenticate as a GitHub App installation instead of with a
   *  token (stored encrypted); Flux then pulls with the App too, and no deploy key is made */
  auth?: pulumi.Input<GitHubAppArgs>;
  /** API hosts: base URL of a self-hosted GitHub Enterprise, GitLab or Gitea */
  apiUrl?: pulumi.Input<string>;
  /** ssh host[:port] when it differs from the web host */
  sshHost?: pulumi.Input<string>;
  /** what Flux pulls over: "ssh" (default, deploy key) or "https" (the token) */
  syncTransport?: pulumi.Input<'ssh' | 'https'>;
  /** plain git: argv that registers a deploy key (public key on stdin; see docs/pulumi.md) */
  addKeyCommand?: pulumi.Input<pulumi.Input<string>[]>;
  /** plain git: argv that removes a deploy key */
  removeKeyCommand?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface RepositoryArgs extends HostArgs {
  /** default "private", like flux bootstrap */
  visibility?: pulumi.Input<'private' | 'internal' | 'public'>;
  /** branch of a newly created repository */
  defaultBranch?: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /** create the repository when it is missing (default true); false: it must exist */
  create?: pulumi.Input<boolean>;
  /** on destroy, delete a repository this resource created even when it has commits */
  forceDestroy?: pulumi.Input<boolean>;
}

/** What a Repository outputs: the Node class and the package resource (provider/plugin/package-resources.ts) alike. */
export interface RepositoryOutputProperties {
  /** where commits are pushed: https on API hosts (with the token), the url on plain git */
  readonly pushUrl: pulumi.Output<string>;
  /** what Flux pulls from, in flux's form (`ssh://git@host/owner/name`) */
  readonly syncUrl: pulumi.Output<string>;
  readonly httpsUrl: pulumi.Output<string>;
  readonly sshUrl: pulumi.Output<string>;
  /** this resource created the repository (destroy deletes only such, and only empty) */
  readonly created: pulumi.Output<boolean>;
}

// the class takes its output properties from the interface above (declaration merging)
export interface Repository extends RepositoryOutputProperties {}
export class Repository extends DynamicStubResource {
  constructor(name: string, args: RepositoryArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { pushUrl: undefined, syncUrl: undefined, httpsUrl: undefined, sshUrl: undefined, created: undefined };
    super(
      'repository',
      'Repository',
      name,
      withSecretInputs({ ...args, ...outputs }, ['token', 'auth']),
      withSecretOutputs(opts, ['token', 'auth']),
    );
  }
}
