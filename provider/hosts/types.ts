// The one interface every Git host implements (GitHub, GitLab, Gitea, plain git), so the
// engine creates repositories and registers deploy keys without knowing which host it talks to.

export type Visibility = 'private' | 'internal' | 'public';
export type CloneKind = 'ssh' | 'https';

export interface RepositoryRef {
  /** user, organization or group path (GitLab subgroups: `group/sub`) */
  owner: string;
  name: string;
}

export interface EnsureRepositoryInput extends RepositoryRef {
  /** default 'private', like flux bootstrap */
  visibility?: Visibility;
  /** shorthand for visibility: true = private, false = public; `visibility` wins */
  private?: boolean;
  /** used when the repository is created (GitHub ignores it: its first pushed branch becomes
   *  the default) */
  defaultBranch?: string;
  description?: string;
  /** team slug -> permission (GitHub: pull|triage|push|maintain|admin, default maintain).
   *  Best effort, like flux: failures become warnings, not errors. */
  teams?: Record<string, string>;
  /** true: create the repository when it is missing; false: it must exist */
  create: boolean;
  /** owner is the token's user (true) or an organization/group (false). Default: the
   *  owner is compared with the token's login. */
  personal?: boolean;
}

export interface RepositoryInfo {
  /** this call created it (so destroy may delete it, when still empty) */
  created: boolean;
  httpsUrl: string;
  sshUrl: string;
  /** the URL flux syncs from: `ssh://git@<host>/<owner>/<repo>` or
   *  `https://<host>/<owner>/<repo>.git`, per the host's sync transport */
  syncUrl: string;
  defaultBranch: string;
  /** no branch exists yet */
  empty: boolean;
  /** best-effort steps that failed (team access), each a full sentence */
  warnings: string[];
}

export interface DeleteRepositoryInput extends RepositoryRef {
  /** delete even when it has commits */
  force?: boolean;
}

export interface DeployKeyInput extends RepositoryRef {
  /** see deployKeyTitle(): `<namespace>-<branch>-<secretName>-<path>` */
  title: string;
  /** OpenSSH authorized_keys form; a trailing comment is ignored when comparing */
  publicKey: string;
  /** default true: flux keys are read-only unless --read-write-key */
  readOnly?: boolean;
}

export interface DeployKeyResult {
  id: string;
  /** false when a key with this title, key material and access already existed */
  changed: boolean;
  /** plain git without addKeyCommand: nothing was registered, the user must do it */
  manual?: boolean;
}

export type DeleteDeployKeyInput = RepositoryRef & ({ id: string } | { title: string });

/** A deploy key as the host has it registered. */
export interface RegisteredDeployKey {
  id: string;
  title: string;
  /** `type base64`, as the host returns it */
  key: string;
  readOnly: boolean;
}

export interface GitHost {
  /** 'github', 'gitlab', 'gitea' or 'git' */
  readonly kind: string;
  /** host name used in messages, e.g. `github.com` */
  readonly hostLabel: string;
  /** which URL ensureRepository() returns as syncUrl */
  readonly syncTransport: CloneKind;
  /** Gets the repository, or creates it when `create` is set. */
  ensureRepository(input: EnsureRepositoryInput): Promise<RepositoryInfo>;
  /** null when it does not exist (or the token cannot see it). */
  getRepository(ref: RepositoryRef): Promise<Omit<RepositoryInfo, 'created' | 'warnings'> | null>;
  /** Refuses a repository with commits unless `force`; a missing one is fine. Call it only
   *  for repositories ensureRepository() reported as `created`. */
  deleteRepository(input: DeleteRepositoryInput): Promise<void>;
  /** Same title and key: no change. Same title, other key or access: replaced. */
  upsertDeployKey(input: DeployKeyInput): Promise<DeployKeyResult>;
  /** Tolerates a key that is already gone. */
  deleteDeployKey(input: DeleteDeployKeyInput): Promise<void>;
  /** The key registered under `id` (one get-by-id request), null when it is gone. Absent on
   *  hosts that cannot look a key up (plain git). */
  getDeployKey?(input: RepositoryRef & { id: string }): Promise<RegisteredDeployKey | null>;
  /** The clone URL in flux form, computed without any request (usable at preview). */
  cloneUrl(ref: RepositoryRef, kind: CloneKind): string;
}
