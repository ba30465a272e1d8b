// The JSON objects fake-github answers with, complete enough to pass GitHub's own OpenAPI
// schemas (full-repository alone requires ~75 fields). URLs follow api.github.com's scheme
// under the fake's base URL.

export interface FakeRepo {
  id: number;
  owner: string;
  ownerType: 'User' | 'Organization';
  ownerId: number;
  name: string;
  visibility: 'private' | 'public' | 'internal';
  description: string | null;
  createdAt: string;
}

export interface FakeKey {
  id: number;
  title: string;
  key: string;
  readOnly: boolean;
  createdAt: string;
}

export function simpleUser(api: string, web: string, login: string, id: number, type: 'User' | 'Organization'): Record<string, unknown> {
  const u = `${api}/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `${web}/avatars/${login}`,
    gravatar_id: '',
    url: u,
    html_url: `${web}/${login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type,
    site_admin: false,
    user_view_type: 'public',
  };
}

export function privateUser(api: string, web: string, login: string, id: number, created: string): Record<string, unknown> {
  return {
    ...simpleUser(api, web, login, id, 'User'),
    user_view_type: 'private',
    name: login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: created,
    updated_at: created,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

export function fullRepository(
  api: string,
  web: string,
  sshBase: string,
  r: FakeRepo,
  defaultBranch: string,
  pushedAt: string,
): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  const u = `${api}/repos/${full}`;
  return {
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: full,
    private: r.visibility !== 'public',
    visibility: r.visibility,
    owner: simpleUser(api, web, r.owner, r.ownerId, r.ownerType),
    html_url: `${web}/${full}`,
    description: r.description,
    fork: false,
    url: u,
    archive_url: `${u}/{archive_format}{/ref}`,
    assignees_url: `${u}/assignees{/user}`,
    blobs_url: `${u}/git/blobs{/sha}`,
    branches_url: `${u}/branches{/branch}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    comments_url: `${u}/comments{/number}`,
    commits_url: `${u}/commits{/sha}`,
    compare_url: `${u}/compare/{base}...{head}`,
    contents_url: `${u}/contents/{+path}`,
    contributors_url: `${u}/contributors`,
    deployments_url: `${u}/deployments`,
    downloads_url: `${u}/downloads`,
    events_url: `${u}/events`,
    forks_url: `${u}/forks`,
    git_commits_url: `${u}/git/commits{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    hooks_url: `${u}/hooks`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    issue_events_url: `${u}/issues/events{/number}`,
    issues_url: `${u}/issues{/number}`,
    keys_url: `${u}/keys{/key_id}`,
    labels_url: `${u}/labels{/name}`,
    languages_url: `${u}/languages`,
    merges_url: `${u}/merges`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    pulls_url: `${u}/pulls{/number}`,
    releases_url: `${u}/releases{/id}`,
    stargazers_url: `${u}/stargazers`,
    statuses_url: `${u}/statuses/{sha}`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    tags_url: `${u}/tags`,
    teams_url: `${u}/teams`,
    trees_url: `${u}/git/trees{/sha}`,
    clone_url: `${web}/${full}.git`,
    git_url: `${web.replace(/^https?/, 'git')}/${full}.git`,
    ssh_url: `${sshBase}/${full}.git`,
    svn_url: `${web}/${full}`,
    mirror_url: null,
    homepage: null,
    language: null,
    default_branch: defaultBranch,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    size: 0,
    network_count: 0,
    subscribers_count: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    license: null,
    is_template: false,
    topics: [],
    pushed_at: pushedAt,
    created_at: r.createdAt,
    updated_at: pushedAt,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
  };
}

export function deployKey(api: string, full: string, k: FakeKey): Record<string, unknown> {
  return {
    id: k.id,
    key: k.key,
    url: `${api}/repos/${full}/keys/${k.id}`,
    title: k.title,
    verified: true,
    created_at: k.createdAt,
    read_only: k.readOnly,
    added_by: 'fake-github',
    last_used: null,
    enabled: true,
  };
}

export function shortBranch(api: string, full: string, name: string, sha: string): Record<string, unknown> {
  return { name, commit: { sha, url: `${api}/repos/${full}/commits/${sha}` }, protected: false };
}

export const DOCS = 'https://docs.github.com/rest';

export function basicError(message: string, status: number): Record<string, unknown> {
  return { message, documentation_url: DOCS, status: String(status) };
}

export function validationError(message: string, errors: Array<Record<string, unknown>>): Record<string, unknown> {
  return { message, errors, documentation_url: DOCS, status: '422' };
}
