// The constructs' own bindings (provider/cdktf/bindings) against the prebuilt @cdktf/provider-*
// classes the constructs used before (devDependencies, kept for this comparison): for every
// provider block, resource and data source, with every attribute the constructs set, the same
// config synthesizes the same Terraform, required_providers included. So a stack made before
// plans no change after the upgrade.
import * as branch from '@cdktf/provider-github/lib/branch';
import * as dataGithubRepository from '@cdktf/provider-github/lib/data-github-repository';
import * as dataGithubSshKeys from '@cdktf/provider-github/lib/data-github-ssh-keys';
import * as githubProvider from '@cdktf/provider-github/lib/provider';
import * as repository from '@cdktf/provider-github/lib/repository';
import * as repositoryDeployKey from '@cdktf/provider-github/lib/repository-deploy-key';
import * as repositoryFile from '@cdktf/provider-github/lib/repository-file';
import * as gitlabBranch from '@cdktf/provider-gitlab/lib/branch';
import * as dataGitlabGroup from '@cdktf/provider-gitlab/lib/data-gitlab-group';
import * as dataGitlabProject from '@cdktf/provider-gitlab/lib/data-gitlab-project';
import * as deployKey from '@cdktf/provider-gitlab/lib/deploy-key';
import * as project from '@cdktf/provider-gitlab/lib/project';
import * as gitlabProvider from '@cdktf/provider-gitlab/lib/provider';
import * as gitlabRepositoryFile from '@cdktf/provider-gitlab/lib/repository-file';
import * as kubernetesProvider from '@cdktf/provider-kubernetes/lib/provider';
import * as privateKey from '@cdktf/provider-tls/lib/private-key';
import * as tlsProvider from '@cdktf/provider-tls/lib/provider';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import * as ours from '../../provider/cdktf/bindings/github';
import * as oursGitlab from '../../provider/cdktf/bindings/gitlab';
import * as oursKubernetes from '../../provider/cdktf/bindings/kubernetes';
import * as oursTls from '../../provider/cdktf/bindings/tls';
import { tryLoad } from '../../provider/cdktf/library';

const cdk = tryLoad('cdktf')!;
// the prebuilt packages' classes, by the names their index gives them (deep imports load faster)
const github = {
  provider: githubProvider,
  repository,
  branch,
  repositoryDeployKey,
  repositoryFile,
  dataGithubRepository,
  dataGithubSshKeys,
};
const gitlab = {
  provider: gitlabProvider,
  dataGitlabGroup,
  dataGitlabProject,
  project,
  branch: gitlabBranch,
  deployKey,
  repositoryFile: gitlabRepositoryFile,
};
const kubernetes = { provider: kubernetesProvider };
const tls = { provider: tlsProvider, privateKey };

/** The stack `build` makes, as Terraform JSON. */
function synth(build: (stack: TerraformStack) => void): unknown {
  const stack = new TerraformStack(Testing.app(), 'bindings');
  build(stack);
  return JSON.parse(Testing.synth(stack, true));
}

/** A sensitive variable's reference, as a user passes secrets. */
const secret = (s: Construct, name: string) => new TerraformVariable(s, name, { type: 'string', sensitive: true }).stringValue;

test('github: provider (token, and a GitHub App), repository, branch, deploy key, file, both data sources', () => {
  const prebuilt = synth((s) => {
    const p = new github.provider.GithubProvider(s, 'github', { alias: 'a', owner: 'acme', baseUrl: 'https://ghe', token: secret(s, 't') });
    new github.provider.GithubProvider(s, 'app', { alias: 'b', owner: 'acme', appAuth: { id: '1', installationId: '2', pemFile: 'PEM' } });
    const r = new github.repository.Repository(s, 'repository', {
      provider: p,
      name: 'fleet',
      description: 'd',
      visibility: 'private',
      autoInit: true,
      archiveOnDestroy: true,
    });
    const b = new github.branch.Branch(s, 'branch', { provider: p, repository: r.name, branch: 'dev' });
    const k = new github.repositoryDeployKey.RepositoryDeployKey(s, 'key', {
      provider: p,
      repository: r.name,
      title: 't',
      key: 'K',
      readOnly: true,
    });
    new github.repositoryFile.RepositoryFile(s, 'file', {
      provider: p,
      repository: r.name,
      branch: 'dev',
      file: 'a/b.yaml',
      content: 'x: $${y}\n',
      commitMessage: 'm',
      commitAuthor: 'Flux',
      commitEmail: 'f@example.com',
      overwriteOnCreate: true,
      dependsOn: [b, k],
    });
    const d = new github.dataGithubRepository.DataGithubRepository(s, 'existing', { provider: p, fullName: 'acme/fleet' });
    const keys = new github.dataGithubSshKeys.DataGithubSshKeys(s, 'keys', { provider: p });
    new cdk.TerraformOutput(s, 'o', { value: [d.name, d.htmlUrl, r.htmlUrl, keys.keys] });
  });
  const bound = synth((s) => {
    const p = new (ours.githubProvider(cdk))(s, 'github', { alias: 'a', owner: 'acme', baseUrl: 'https://ghe', token: secret(s, 't') });
    new (ours.githubProvider(cdk))(s, 'app', { alias: 'b', owner: 'acme', appAuth: { id: '1', installationId: '2', pemFile: 'PEM' } });
    const r = new (ours.githubRepository(cdk))(s, 'repository', {
      provider: p,
      name: 'fleet',
      description: 'd',
      visibility: 'private',
      autoInit: true,
      archiveOnDestroy: true,
    });
    const name = r.getStringAttribute('name');
    const b = new (ours.githubBranch(cdk))(s, 'branch', { provider: p, repository: name, branch: 'dev' });
    const k = new (ours.githubRepositoryDeployKey(cdk))(s, 'key', { provider: p, repository: name, title: 't', key: 'K', readOnly: true });
    new (ours.githubRepositoryFile(cdk))(s, 'file', {
      provider: p,
      repository: name,
      branch: 'dev',
      file: 'a/b.yaml',
      content: 'x: $${y}\n',
      commitMessage: 'm',
      commitAuthor: 'Flux',
      commitEmail: 'f@example.com',
      overwriteOnCreate: true,
      dependsOn: [b, k],
    });
    const d = new (ours.dataGithubRepository(cdk))(s, 'existing', { provider: p, fullName: 'acme/fleet' });
    const keys = new (ours.dataGithubSshKeys(cdk))(s, 'keys', { provider: p });
    new cdk.TerraformOutput(s, 'o', {
      value: [
        d.getStringAttribute('name'),
        d.getStringAttribute('html_url'),
        r.getStringAttribute('html_url'),
        keys.getListAttribute('keys'),
      ],
    });
  });
  expect(bound).toEqual(prebuilt);
});

test('gitlab: provider, group and project data sources, project, branch, deploy key, file', () => {
  const prebuilt = synth((s) => {
    const p = new gitlab.provider.GitlabProvider(s, 'gitlab', { alias: 'a', token: 't', baseUrl: 'https://gl' });
    const g = new gitlab.dataGitlabGroup.DataGitlabGroup(s, 'group', { provider: p, fullPath: 'acme/platform' });
    const proj = new gitlab.project.Project(s, 'project', {
      provider: p,
      name: 'fleet',
      path: 'fleet',
      namespaceId: g.groupId,
      description: 'd',
      visibilityLevel: 'private',
      initializeWithReadme: true,
      defaultBranch: 'main',
    });
    const b = new gitlab.branch.Branch(s, 'branch', { provider: p, project: proj.id, name: 'dev', ref: 'main' });
    new gitlab.deployKey.DeployKey(s, 'key', { provider: p, project: proj.id, title: 't', key: 'K', canPush: false });
    new gitlab.repositoryFile.RepositoryFile(s, 'file', {
      provider: p,
      project: proj.id,
      branch: 'dev',
      filePath: 'a/b.yaml',
      content: 'x',
      encoding: 'text',
      commitMessage: 'm',
      authorName: 'Flux',
      authorEmail: 'f@example.com',
      overwriteOnCreate: true,
      dependsOn: [b],
    });
    const e = new gitlab.dataGitlabProject.DataGitlabProject(s, 'existing', { provider: p, pathWithNamespace: 'acme/fleet' });
    new cdk.TerraformOutput(s, 'o', { value: [e.id, e.webUrl, proj.webUrl] });
  });
  const bound = synth((s) => {
    const p = new (oursGitlab.gitlabProvider(cdk))(s, 'gitlab', { alias: 'a', token: 't', baseUrl: 'https://gl' });
    const g = new (oursGitlab.dataGitlabGroup(cdk))(s, 'group', { provider: p, fullPath: 'acme/platform' });
    const proj = new (oursGitlab.gitlabProject(cdk))(s, 'project', {
      provider: p,
      name: 'fleet',
      path: 'fleet',
      namespaceId: g.getNumberAttribute('group_id'),
      description: 'd',
      visibilityLevel: 'private',
      initializeWithReadme: true,
      defaultBranch: 'main',
    });
    const id = proj.getStringAttribute('id');
    const b = new (oursGitlab.gitlabBranch(cdk))(s, 'branch', { provider: p, project: id, name: 'dev', ref: 'main' });
    new (oursGitlab.gitlabDeployKey(cdk))(s, 'key', { provider: p, project: id, title: 't', key: 'K', canPush: false });
    new (oursGitlab.gitlabRepositoryFile(cdk))(s, 'file', {
      provider: p,
      project: id,
      branch: 'dev',
      filePath: 'a/b.yaml',
      content: 'x',
      encoding: 'text',
      commitMessage: 'm',
      authorName: 'Flux',
      authorEmail: 'f@example.com',
      overwriteOnCreate: true,
      dependsOn: [b],
    });
    const e = new (oursGitlab.dataGitlabProject(cdk))(s, 'existing', { provider: p, pathWithNamespace: 'acme/fleet' });
    new cdk.TerraformOutput(s, 'o', {
      value: [e.getStringAttribute('id'), e.getStringAttribute('web_url'), proj.getStringAttribute('web_url')],
    });
  });
  expect(bound).toEqual(prebuilt);
});

// No kubernetes resource is compared: the constructs write none since the Secrets became
// kubectl_manifests (secret-manifest.ts); the provider block stays, for states that hold the old ones.
test('kubernetes: provider (file and inline connections); tls: provider and tls_private_key', () => {
  const conn = { host: 'https://h', token: 'tk', clusterCaCertificate: 'CA', clientCertificate: 'C', clientKey: 'K', insecure: true };
  const prebuilt = synth((s) => {
    new kubernetes.provider.KubernetesProvider(s, 'k', { alias: 'a', configPath: '/kube', configContext: 'prod' });
    new kubernetes.provider.KubernetesProvider(s, 'inline', { alias: 'b', ...conn });
    const t = new tls.provider.TlsProvider(s, 'tls', { alias: 'flux-tls' });
    const key = new tls.privateKey.PrivateKey(s, 'key', { provider: t, algorithm: 'ECDSA', ecdsaCurve: 'P384' });
    new tls.privateKey.PrivateKey(s, 'rsa', { provider: t, algorithm: 'RSA', rsaBits: 4096 });
    new cdk.TerraformOutput(s, 'o', { value: [key.privateKeyOpenssh, key.privateKeyPemPkcs8, key.publicKeyOpenssh] });
  });
  const bound = synth((s) => {
    new (oursKubernetes.kubernetesProvider(cdk))(s, 'k', { alias: 'a', configPath: '/kube', configContext: 'prod' });
    new (oursKubernetes.kubernetesProvider(cdk))(s, 'inline', { alias: 'b', ...conn });
    const t = new (oursTls.tlsProvider(cdk))(s, 'tls', { alias: 'flux-tls' });
    const key = new (oursTls.tlsPrivateKey(cdk))(s, 'key', { provider: t, algorithm: 'ECDSA', ecdsaCurve: 'P384' });
    new (oursTls.tlsPrivateKey(cdk))(s, 'rsa', { provider: t, algorithm: 'RSA', rsaBits: 4096 });
    const attr = (a: string) => key.getStringAttribute(a);
    new cdk.TerraformOutput(s, 'o', { value: [attr('private_key_openssh'), attr('private_key_pem_pkcs8'), attr('public_key_openssh')] });
  });
  expect(bound).toEqual(prebuilt);
});

test('each binding names its resource type as the prebuilt class did (the jest matchers find them by it)', () => {
  const pairs: [{ tfResourceType: string }, { tfResourceType: string }][] = [
    [ours.githubProvider(cdk), github.provider.GithubProvider],
    [ours.githubRepositoryFile(cdk), github.repositoryFile.RepositoryFile],
    [ours.dataGithubSshKeys(cdk), github.dataGithubSshKeys.DataGithubSshKeys],
    [oursGitlab.gitlabProject(cdk), gitlab.project.Project],
    [oursGitlab.dataGitlabGroup(cdk), gitlab.dataGitlabGroup.DataGitlabGroup],
    [oursKubernetes.kubernetesProvider(cdk), kubernetes.provider.KubernetesProvider],
    [oursTls.tlsPrivateKey(cdk), tls.privateKey.PrivateKey],
  ];
  for (const [bound, prebuilt] of pairs) expect(bound.tfResourceType).toBe(prebuilt.tfResourceType);
});
