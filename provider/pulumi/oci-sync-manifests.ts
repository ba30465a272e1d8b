// OciSyncManifests: the cluster's Flux manifests as an OCI artifact at oci://<registry>/<repository>:<tag>
// (gitless bootstrap), instead of a commit. ControllerInstall with the same oci:// url installs
// an OCIRepository that pulls it.
import * as pulumi from '@pulumi/pulumi';
import type { DistributionArgs, InstallArgs, SyncArgs } from './args';
import { withSecretInputs, withSecretOutputs } from './options';
import { DynamicStubResource } from './dynamic-resource';

/** Push credentials of the registry (stored encrypted). */
export interface RegistryAuthArgs {
  username?: pulumi.Input<string>;
  /** password or token */
  password?: pulumi.Input<string>;
  /** PEM of a private CA the registry's certificate is signed by */
  caPem?: pulumi.Input<string>;
}

export interface OciSyncManifestsArgs extends Omit<InstallArgs, 'registryCredentials'>, SyncArgs, DistributionArgs {
  /** how to push (stored encrypted); absent for a registry that needs no credentials */
  auth?: pulumi.Input<RegistryAuthArgs>;
}

/** What a OciSyncManifests outputs: the Node class and the package resource (provider/plugin/package-resources.ts) alike. */
export interface OciSyncManifestsOutputProperties {
  /** the manifest digest the tag points at when last observed */
  readonly digest: pulumi.Output<string>;
  /** the manifest digest this resource last pushed */
  readonly pushedDigest: pulumi.Output<string>;
  /** digest of the layer (the files); equal files, equal digest */
  readonly layerDigest: pulumi.Output<string>;
  /** `<tag>@<digest>`, what Flux reports once it reconciled the artifact; give `digest` to ControllerInstall.commit */
  readonly revision: pulumi.Output<string>;
  /** the Flux release rendered */
  readonly version: pulumi.Output<string>;
  /** `<path>/<namespace>` inside the artifact */
  readonly directory: pulumi.Output<string>;
}

// the class takes its output properties from the interface above (declaration merging)
export interface OciSyncManifests extends OciSyncManifestsOutputProperties {}
export class OciSyncManifests extends DynamicStubResource {
  constructor(name: string, args: OciSyncManifestsArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { digest: undefined, pushedDigest: undefined, layerDigest: undefined, revision: undefined, directory: undefined };
    super(
      'oci-sync-manifests',
      'OciSyncManifests',
      name,
      withSecretInputs({ ...args, ...outputs }, ['auth']),
      withSecretOutputs(opts, ['auth']),
    );
  }
}
