// The FluxBootstrap construct's props. Engine options are flat, one per `flux bootstrap` flag,
// exactly as the schemas in schema/ declare them (same names, defaults and rules); the rest
// says where the repository and the cluster are and how the deploy key is made.
import type { Dependable, TerraformProviderRef } from './terraform-types';
import type { Distribution } from '../distribution/types';
// spelled out from the schemas (schema/input-types.ts): a program's type-check parses neither
// typebox's declarations nor ajv's
import type { CommitInput, InstallInput, SyncInput } from '../../schema/input-types';

/** Install options minus `version` and `registryCredentials` (declared below, as they may be tokens). */
type InstallProps = Omit<InstallInput, 'version' | 'registryCredentials'>;
/** Sync options minus `url`, which the repository decides (override with `url`). */
type SyncProps = Omit<SyncInput, 'url'>;

interface RepositoryCommonProps {
  /** Owner of the repository: a GitHub user or organisation, or a GitLab group path ("group/subgroup") or user. */
  readonly owner: string;
  /** Repository (GitLab: project) name. */
  readonly name: string;
  /**
   * Create the repository (private, initialised with a README so the branch exists), or use an
   * existing one through a data source.
   * @default true
   */
  readonly create?: boolean;
  /**
   * Visibility of a created repository.
   * @default "private"
   */
  readonly visibility?: 'private' | 'public' | 'internal';
  /** Description of a created repository. @default "" */
  readonly description?: string;
  /**
   * SSH host[:port] Flux pulls from, when it differs from the API host (flux's `--ssh-hostname`).
   * @default "github.com" for GitHub, the host of `baseUrl` (or "gitlab.com") for GitLab
   */
  readonly sshHost?: string;
  /**
   * The provider to use for the repository side. When absent, the construct configures its own
   * (aliased) provider from `token` and `baseUrl`.
   * @default a provider created by the construct
   */
  readonly provider?: TerraformProviderRef;
  /**
   * API token for the construct's own provider; use a sensitive TerraformVariable. When absent
   * the provider reads GITHUB_TOKEN / GITLAB_TOKEN.
   * @default the provider's environment variable
   */
  readonly token?: string;
  /** API base URL for GitHub Enterprise Server or a self-managed GitLab. @default the public service */
  readonly baseUrl?: string;
  /**
   * The known_hosts Flux verifies the SSH host with.
   * @default GitHub: the host keys GitHub publishes (`github_ssh_keys`); GitLab: required
   */
  readonly knownHosts?: string;
}

/** A GitHub App installation (schema/github-app.ts); IDs from the App's settings, its RSA key. */
export interface GitHubAppProps {
  readonly appId: string;
  readonly installationId: string;
  /** PEM of a private key of the App (sensitive: pass a variable) */
  readonly privateKey: string;
}

export interface GitHubRepositoryProps extends RepositoryCommonProps {
  readonly host: 'github';
  /**
   * Authenticate as a GitHub App installation instead of a token: the construct's provider gets
   * `app_auth`, Flux pulls over https with the App (`provider: github`, the Secret's
   * githubApp* keys), and no deploy key is made.
   * @default token authentication
   */
  readonly auth?: GitHubAppProps;
  /**
   * Archive instead of deleting a created repository on `destroy` (`archive_on_destroy`).
   * @default true
   */
  readonly archiveOnDestroy?: boolean;
}

export interface GitLabRepositoryProps extends RepositoryCommonProps {
  readonly host: 'gitlab';
  /**
   * The owner is a user, not a group (flux's `--personal`): a created project goes into the
   * token user's namespace instead of the group looked up by `owner`.
   * @default false
   */
  readonly personal?: boolean;
}

export type RepositoryProps = GitHubRepositoryProps | GitLabRepositoryProps;

/** How the hashicorp/kubernetes and alekc/kubectl providers reach the cluster. */
export interface ClusterProps {
  /** Path of a kubeconfig file. @default none (inline fields, or the providers' KUBE_* environment) */
  readonly configPath?: string;
  /** Context in `configPath`. @default its current context */
  readonly configContext?: string;
  /** API server URL. */
  readonly host?: string;
  /** PEM CA bundle of the API server. */
  readonly clusterCaCertificate?: string;
  /** Bearer token (sensitive). */
  readonly token?: string;
  /** PEM client certificate and key (the key is sensitive). */
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  /** Skip TLS verification. @default false */
  readonly insecure?: boolean;
  /** Use these providers instead of configuring aliased ones from the fields above. */
  readonly kubernetesProvider?: TerraformProviderRef;
  readonly kubectlProvider?: TerraformProviderRef;
}

export interface DeployKeyProps {
  /**
   * Algorithm of the generated key (`tls_private_key`).
   * @default "ed25519"
   */
  readonly algorithm?: 'ed25519' | 'ecdsa' | 'rsa';
  /** ECDSA curve. @default "p384" (the flux CLI's) */
  readonly curve?: 'p256' | 'p384' | 'p521';
  /** RSA size in bits. @default 4096 */
  readonly bits?: number;
  /**
   * Bring your own key instead: the private key (PEM or OpenSSH; pass a sensitive variable) and
   * its public key in authorized_keys form. Both or neither.
   * @default a generated key
   */
  readonly privateKey?: string;
  readonly publicKey?: string;
  /** Let Flux push with the key (flux's `--read-write-key`), e.g. for image automation. @default false */
  readonly readWrite?: boolean;
  /** Title of the deploy key. @default flux's: "<namespace>-<branch>-<secretName>-./<path>" */
  readonly title?: string;
}

export interface ClusterApplyProps {
  /**
   * Wait for the controller Deployments to roll out (`wait_for_rollout`), so `apply` ends when
   * Flux runs. Turn off for clusters without nodes.
   * @default true
   */
  readonly waitForRollout?: boolean;
  /** Field manager of the server-side apply. @default "flux" (what flux bootstrap uses) */
  readonly fieldManager?: string;
  /** Retries of a failed create or update (`apply_retry_count` of the construct's kubectl provider). @default 3 */
  readonly applyRetryCount?: number;
  /**
   * Wait, as flux bootstrap does, until the GitRepository and the Kustomization are Ready
   * (`wait_for` on both), so `apply` fails when Flux cannot fetch or apply the repository.
   * Turn off when the deploy key is registered after the apply.
   * @default true
   */
  readonly waitForReady?: boolean;
  /** How long the waits may take (Go duration). @default "5m" (flux's --timeout) */
  readonly timeout?: string;
  /**
   * Keep the namespace on destroy, with what else is in it (the source Secret too). A namespace
   * that was there before the first apply is kept anyway: the apply records it.
   * @default false
   */
  readonly keepNamespace?: boolean;
}

/** The engine's options (one per `flux bootstrap` flag) and where the release manifests come from. */
export interface FluxEngineProps extends InstallProps, SyncProps, Partial<CommitInput> {
  /** Flux release to install, e.g. "v2.9.3". */
  readonly version: string;
  /**
   * The release manifests: a loaded Distribution, or a directory, a manifests.tar.gz or a release
   * URL to load at synth time (downloads are cached under ~/.cache/flux-bootstrap/manifests, so
   * a synth is deterministic and a second one makes no request).
   * @default the GitHub release of `version`
   */
  readonly distribution?: Distribution | string;
  /** "sha256:<hex>" a downloaded archive must have. @default no check */
  readonly distributionDigest?: string;
  /**
   * Registry credentials "user:password" for `imagePullSecret` (sensitive: pass a variable).
   * @default none
   */
  readonly registryCredentials?: string;
}

export interface FluxBootstrapProps extends FluxEngineProps {
  readonly repository: RepositoryProps;
  readonly cluster: ClusterProps;
  /** The URL Flux pulls from. @default `ssh://git@<sshHost>/<owner>/<name>` */
  readonly url?: string;
  /** @default a generated ed25519 key, read-only */
  readonly deployKey?: DeployKeyProps;
  /** @default wait for rollout, field manager "flux" */
  readonly apply?: ClusterApplyProps;
}

/** The credentials Flux pulls with: the Secret's identity, identity.pub and known_hosts. */
export interface SshCredentialsProps {
  /** PEM or OpenSSH private key (sensitive: a variable or a `tls_private_key` attribute). */
  readonly privateKey: string;
  /** its public key, authorized_keys form */
  readonly publicKey: string;
  /** known_hosts lines for the sync URL's host */
  readonly knownHosts: string;
}

/** Gitless (url oci://...): what Flux pulls the artifact with, the pull Secret's data. */
export interface RegistryCredentialsProps {
  /** a registry user that may pull; absent with `oci.anonymous` */
  readonly username?: string;
  /** its password or token (sensitive: pass a variable) */
  readonly password?: string;
  /** PEM CA of a registry behind a private CA (with `oci.privateCa`) */
  readonly caPem?: string;
}

/** FluxCluster: only the cluster side, for a repository whose files are committed elsewhere, or
 *  (url oci://<registry>/<repository>:<tag>) an OCI artifact pushed elsewhere. */
export interface FluxClusterProps extends FluxEngineProps {
  /** The ssh:// URL Flux pulls from, e.g. "ssh://git@github.com/acme/fleet"; or, gitless, the
   *  artifact's oci://<registry>/<repository>:<tag> (an OCIRepository pulls it). */
  readonly url: string;
  /** ssh: the key pair and known_hosts. oci: the registry credentials (none with oci.anonymous). */
  readonly credentials?: SshCredentialsProps | RegistryCredentialsProps;
  readonly cluster: ClusterProps;
  /** @default wait for rollout, field manager "flux" */
  readonly apply?: ClusterApplyProps;
  /** What the GitRepository and Kustomization wait for, e.g. the resources committing the files. @default nothing */
  readonly syncDependsOn?: Dependable[];
}
