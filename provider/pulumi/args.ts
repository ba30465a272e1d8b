// Input types shared by the resources: the engine options (one flat field per schema option, as
// `flux bootstrap` has one flag per option), each accepting a Pulumi Input.
import type * as pulumi from '@pulumi/pulumi';
// spelled out from the schemas (schema/input-types.ts): a program's type-check parses neither
// typebox's declarations nor ajv's
import type { CommitInput, InstallInput, SyncInput } from '../../schema/input-types';

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Install options: what goes into gotk-components.yaml (see schema/install.ts). */
export type InstallArgs = Inputs<InstallInput>;
/** Sync options: what goes into gotk-sync.yaml and kustomization.yaml (see schema/sync.ts). */
export type SyncArgs = Inputs<SyncInput>;
/** Commit options (see schema/commit.ts). */
export type CommitArgs = Inputs<CommitInput>;

/** Where the release manifests come from. */
export interface DistributionArgs {
  /** a directory or manifests.tar.gz of the release, or a release URL (default the GitHub
   *  releases of fluxcd/flux2, downloaded once into ~/.cache/flux-bootstrap/manifests) */
  distribution?: pulumi.Input<string>;
  /** "sha256:<hex>" the downloaded archive must have */
  distributionDigest?: pulumi.Input<string>;
}

/** A GitHub App installation (see schema/github-app.ts): IDs from the App's settings, its RSA key. */
export interface GitHubAppArgs {
  appId: pulumi.Input<string | number>;
  installationId: pulumi.Input<string | number>;
  privateKey: pulumi.Input<string>;
  /** GitHub Enterprise behind a private CA */
  caPem?: pulumi.Input<string>;
}

/** How to push (SyncManifests): an ssh key with known_hosts, https credentials, or a GitHub App. */
export interface GitAuthArgs {
  /** push with installation tokens of this App; apiUrl for GitHub Enterprise */
  githubApp?: pulumi.Input<GitHubAppArgs & { apiUrl?: pulumi.Input<string> }>;
  privateKey?: pulumi.Input<string>;
  passphrase?: pulumi.Input<string>;
  knownHosts?: pulumi.Input<string>;
  username?: pulumi.Input<string>;
  password?: pulumi.Input<string>;
  bearerToken?: pulumi.Input<string>;
  caPem?: pulumi.Input<string>;
}

/** The cluster: kubeconfig content (or a path, and a context), or inline fields. */
export interface ClusterArgs {
  kubeconfig?: pulumi.Input<string>;
  kubeconfigPath?: pulumi.Input<string>;
  context?: pulumi.Input<string>;
  host?: pulumi.Input<string>;
  caPem?: pulumi.Input<string>;
  token?: pulumi.Input<string>;
  clientCertPem?: pulumi.Input<string>;
  clientKeyPem?: pulumi.Input<string>;
  insecure?: pulumi.Input<boolean>;
  tlsServerName?: pulumi.Input<string>;
  proxyUrl?: pulumi.Input<string>;
}

/** The credentials Flux pulls with (the source Secret's data). */
export interface CredentialsArgs {
  /** GitHub App (with sync option provider: "github"); the base URL only for GitHub Enterprise */
  githubAppId?: pulumi.Input<string>;
  githubAppInstallationId?: pulumi.Input<string>;
  githubAppPrivateKey?: pulumi.Input<string>;
  githubAppBaseUrl?: pulumi.Input<string>;
  privateKey?: pulumi.Input<string>;
  publicKey?: pulumi.Input<string>;
  knownHosts?: pulumi.Input<string>;
  passphrase?: pulumi.Input<string>;
  username?: pulumi.Input<string>;
  password?: pulumi.Input<string>;
  bearerToken?: pulumi.Input<string>;
  caPem?: pulumi.Input<string>;
}

export interface WaitArgs {
  /** wait until the GitRepository and Kustomization are Ready at the pushed commit (default true) */
  reconciliation?: pulumi.Input<boolean>;
  /** also wait for the controller Deployments (default true; off for clusters without nodes) */
  deployments?: pulumi.Input<boolean>;
  /** default 300 */
  timeoutSeconds?: pulumi.Input<number>;
}
