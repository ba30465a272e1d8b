// FluxBootstrap on GitLab: project in a group or a personal namespace, or an existing one;
// deploy key, files in text encoding, and the known_hosts the user gives.
import { DataGitlabGroup } from '@cdktf/provider-gitlab/lib/data-gitlab-group';
import { DataGitlabProject } from '@cdktf/provider-gitlab/lib/data-gitlab-project';
import { DeployKey } from '@cdktf/provider-gitlab/lib/deploy-key';
import { Project } from '@cdktf/provider-gitlab/lib/project';
import { GitlabProvider } from '@cdktf/provider-gitlab/lib/provider';
import { RepositoryFile } from '@cdktf/provider-gitlab/lib/repository-file';
import type { GitLabRepositoryProps } from '../../provider/cdktf';
import type { Distribution } from '../../provider/engine';
import { baseProps, GITLAB_KNOWN_HOSTS, resource, synthFlux, unescapeTemplate } from './support/cdktf';
import { distribution } from './support/reference';
import { secretOf } from './support/secret-manifest';

let dist: Distribution;
beforeAll(async () => {
  dist = await distribution('v2.9.3');
});

const gitlab = (extra: Partial<GitLabRepositoryProps> = {}): GitLabRepositoryProps => ({
  host: 'gitlab',
  owner: 'platform/fleet-group',
  name: 'fleet',
  knownHosts: GITLAB_KNOWN_HOSTS,
  ...extra,
});

test('a private project in the owner group, initialised with a README so main exists', () => {
  const { text, json } = synthFlux(baseProps(dist, { repository: gitlab({ token: '${var.gitlab_token}' }) }));
  expect(text).toHaveDataSourceWithProperties(DataGitlabGroup, { full_path: 'platform/fleet-group' });
  expect(text).toHaveResourceWithProperties(Project, {
    name: 'fleet',
    path: 'fleet',
    visibility_level: 'private',
    initialize_with_readme: true,
    default_branch: 'main',
  });
  expect(resource(json, 'gitlab_project').namespace_id).toMatch(/^\$\{data\.gitlab_group\.flux_group_\w+\.group_id\}$/);
  expect(text).toHaveProviderWithProperties(GitlabProvider, { alias: 'flux-gitlab', token: '${var.gitlab_token}' });
});

test("deploy key without push access, the files in text encoding with flux's messages and author", () => {
  const { text, json, flux } = synthFlux(baseProps(dist, { repository: gitlab(), authorEmail: 'flux@example.com' }));
  expect(text).toHaveResourceWithProperties(DeployKey, { title: 'flux-system-main-flux-system', can_push: false });
  const files = Object.values(json.resource.gitlab_repository_file);
  expect(files.map((f) => f.file_path)).toEqual(flux.paths);
  for (const f of files) {
    expect(f).toMatchObject({
      branch: 'main',
      encoding: 'text',
      overwrite_on_create: true,
      author_name: 'Flux',
      author_email: 'flux@example.com',
    });
    expect(unescapeTemplate(f.content)).toBe(flux.desired.files[f.file_path]);
    expect(f.project).toMatch(/^\$\{gitlab_project\.flux_project_\w+\.id\}$/);
  }
  expect(text).toHaveResourceWithProperties(RepositoryFile, { commit_message: 'Add Flux v2.9.3 component manifests' });
});

test('the sync URL is gitlab.com over ssh, the Secret carries the given known_hosts', () => {
  const { json, flux } = synthFlux(baseProps(dist, { repository: gitlab() }));
  expect(flux.syncUrl).toBe('ssh://git@gitlab.com/platform/fleet-group/fleet');
  expect(secretOf(json).data.known_hosts).toBe(GITLAB_KNOWN_HOSTS);
  expect(unescapeTemplate(resource(json, 'kubectl_manifest', 'gitrepository').yaml_body)).toContain(
    'url: ssh://git@gitlab.com/platform/fleet-group/fleet\n',
  );
});

test('self-managed GitLab: the ssh host follows baseUrl unless sshHost says otherwise', () => {
  expect(synthFlux(baseProps(dist, { repository: gitlab({ baseUrl: 'https://git.example.com/api/v4' }) })).flux.syncUrl).toBe(
    'ssh://git@git.example.com/platform/fleet-group/fleet',
  );
  expect(
    synthFlux(baseProps(dist, { repository: gitlab({ baseUrl: 'https://git.example.com', sshHost: 'ssh.example.com:2222' }) })).flux
      .syncUrl,
  ).toBe('ssh://git@ssh.example.com:2222/platform/fleet-group/fleet');
});

test("personal: no group lookup, the project goes to the token user's namespace", () => {
  const { json } = synthFlux(baseProps(dist, { repository: gitlab({ owner: 'me', personal: true }) }));
  expect(json.data?.gitlab_group).toBeUndefined();
  expect(resource(json, 'gitlab_project')).not.toHaveProperty('namespace_id');
});

test('an existing project is read through a data source and never created', () => {
  const { text, json } = synthFlux(baseProps(dist, { repository: gitlab({ create: false }) }));
  expect(text).toHaveDataSourceWithProperties(DataGitlabProject, { path_with_namespace: 'platform/fleet-group/fleet' });
  expect(json.resource.gitlab_project).toBeUndefined();
  expect(resource(json, 'gitlab_deploy_key').project).toMatch(/^\$\{data\.gitlab_project\.flux_project_\w+\.id\}$/);
});

test('another branch is made from main in a created project', () => {
  const { json } = synthFlux(baseProps(dist, { repository: gitlab(), branch: 'fleet' }));
  expect(resource(json, 'gitlab_branch')).toMatchObject({ name: 'fleet', ref: 'main' });
  expect(resource(json, 'gitlab_repository_file', 'gotk-components').depends_on).toEqual([expect.stringMatching(/^gitlab_branch\./)]);
});
