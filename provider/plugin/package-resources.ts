// The resources as package resources (`flux-bootstrap:index:<Name>`) for the Bootstrap
// component the plugin constructs: the same inputs and outputs as the dynamic classes, but
// served by this plugin instead of a serialized dynamic provider (which cannot run inside a
// multi-language component).
import * as pulumi from '@pulumi/pulumi';
import type { ControllerInstallArgs } from '../pulumi/controller-install';
import type { ControllerPreinstallArgs } from '../pulumi/controller-preinstall';
import type { DeployKeyArgs } from '../pulumi/deploy-key';
import type { RepositoryArgs } from '../pulumi/repository';
import type { SyncManifestsArgs } from '../pulumi/sync-manifests';
import type { OciSyncManifestsArgs } from '../pulumi/oci-sync-manifests';
import { KINDS, tokenOf } from './resources';

function outputsOf(name: string): Record<string, undefined> {
  const kind = KINDS.find((k) => k.name === name)!;
  return Object.fromEntries([...kind.outputs, ...kind.derived].map((o) => [o, undefined]));
}

/** Given inputs win over the output placeholders (e.g. a given privateKey). */
function props(name: string, args: object): pulumi.Inputs {
  return { ...outputsOf(name), ...Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) };
}

export class PackageRepository extends pulumi.CustomResource {
  declare readonly pushUrl: pulumi.Output<string>;
  declare readonly syncUrl: pulumi.Output<string>;
  declare readonly httpsUrl: pulumi.Output<string>;
  declare readonly sshUrl: pulumi.Output<string>;
  declare readonly created: pulumi.Output<boolean>;
  constructor(name: string, args: RepositoryArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('Repository'), name, props('Repository', args), opts);
  }
}

export class PackageDeployKey extends pulumi.CustomResource {
  declare readonly publicKey: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;
  declare readonly privateKey: pulumi.Output<string>;
  declare readonly knownHosts: pulumi.Output<string>;
  declare readonly keyId: pulumi.Output<string>;
  declare readonly registeredTitle: pulumi.Output<string>;
  declare readonly manual: pulumi.Output<boolean>;
  constructor(name: string, args: DeployKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('DeployKey'), name, props('DeployKey', args), opts);
  }
}

export class PackageSyncManifests extends pulumi.CustomResource {
  declare readonly commit: pulumi.Output<string>;
  declare readonly headSha: pulumi.Output<string>;
  declare readonly files: pulumi.Output<Record<string, string>>;
  declare readonly desiredFiles: pulumi.Output<Record<string, string>>;
  declare readonly plan: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;
  declare readonly directory: pulumi.Output<string>;
  declare readonly committedKustomization: pulumi.Output<string>;
  constructor(name: string, args: SyncManifestsArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('SyncManifests'), name, props('SyncManifests', args), opts);
  }
}

export class PackageControllerInstall extends pulumi.CustomResource {
  declare readonly version: pulumi.Output<string>;
  declare readonly components: pulumi.Output<string[]>;
  declare readonly objectsHash: pulumi.Output<string>;
  declare readonly inventory: pulumi.Output<string[]>;
  declare readonly revision: pulumi.Output<string>;
  declare readonly drift: pulumi.Output<string[]>;
  declare readonly plan: pulumi.Output<string>;
  constructor(name: string, args: ControllerInstallArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('ControllerInstall'), name, props('ControllerInstall', args), opts);
  }
}

export class PackageOciSyncManifests extends pulumi.CustomResource {
  declare readonly digest: pulumi.Output<string>;
  declare readonly pushedDigest: pulumi.Output<string>;
  declare readonly layerDigest: pulumi.Output<string>;
  declare readonly revision: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;
  declare readonly directory: pulumi.Output<string>;
  constructor(name: string, args: OciSyncManifestsArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('OciSyncManifests'), name, props('OciSyncManifests', args), opts);
  }
}

export class PackageControllerPreinstall extends pulumi.CustomResource {
  declare readonly preinstalled: pulumi.Output<string>;
  constructor(name: string, args: ControllerPreinstallArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('ControllerPreinstall'), name, props('ControllerPreinstall', args), opts);
  }
}
