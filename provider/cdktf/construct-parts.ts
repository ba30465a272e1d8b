// What FluxBootstrap and FluxCluster expose of the elements they made, typed without either CDK
// library (terraform-types.ts), so the package's declarations load in a cdktf or a cdktn project.
import type { KubectlManifest } from './kubectl';
import type { Stage } from './stages';
import type { Dependable, TerraformResourceRef } from './terraform-types';

export interface KeyPair {
  /** the Secret's `identity`: OpenSSH format for ed25519 (OpenSSH 9 cannot load PKCS#8
   *  ed25519), PKCS#8 PEM for ecdsa and rsa, as the rest of flux-bootstrap writes them */
  privateKey: string;
  /** authorized_keys form, the Secret's `identity.pub` and the deploy key */
  publicKey: string;
  /** the `tls_private_key`; absent for a given key */
  resource?: TerraformResourceRef;
}

export interface RepositorySide {
  /** web URL of the repository */
  url: string;
  knownHosts: string;
  /** absent with a GitHub App */
  deployKey?: Dependable;
  /** the file resources, in commit order */
  files: Dependable[];
}

export interface ClusterSide {
  manifests: Record<Stage, KubectlManifest[]>;
  /** the Secrets, server-side applied as the manifests are; absent for an anonymous OCI pull without a private CA */
  sourceSecret?: KubectlManifest;
  pullSecret?: KubectlManifest;
}
