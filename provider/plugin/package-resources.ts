// The resources as package resources (`flux-bootstrap:index:<Name>`): the same inputs and
// outputs as the dynamic classes, but served by this plugin instead of a serialized dynamic
// provider. The Bootstrap the plugin constructs is made of them (a dynamic provider cannot run
// inside a multi-language component), and so is the one a Node.js program gets from
// `flux-bootstrap/pulumi/plugin`, which then starts no dynamic provider host.
import * as pulumi from '@pulumi/pulumi';
import { Bootstrap } from '../pulumi/bootstrap';
import type { ControllerInstallArgs, ControllerInstallOutputProperties } from '../pulumi/controller-install';
import type { ControllerPreinstallArgs, ControllerPreinstallOutputProperties } from '../pulumi/controller-preinstall';
import type { DeployKeyArgs, DeployKeyOutputProperties } from '../pulumi/deploy-key';
import type { RepositoryArgs, RepositoryOutputProperties } from '../pulumi/repository';
import type { SyncManifestsArgs, SyncManifestsOutputProperties } from '../pulumi/sync-manifests';
import type { OciSyncManifestsArgs, OciSyncManifestsOutputProperties } from '../pulumi/oci-sync-manifests';
import type { OperatorInstallArgs, OperatorInstallOutputProperties } from '../pulumi/operator-install';
import type { FluxInstanceArgs, FluxInstanceOutputProperties } from '../pulumi/flux-instance';
import type { InstanceManifestsArgs, InstanceManifestsOutputProperties } from '../pulumi/instance-manifests';
import { KINDS, tokenOf } from './resources';

function outputsOf(name: string): Record<string, undefined> {
  const kind = KINDS.find((k) => k.name === name)!;
  return Object.fromEntries([...kind.outputs, ...kind.derived].map((o) => [o, undefined]));
}

/** Given inputs win over the output placeholders (e.g. a given privateKey). */
function props(name: string, args: object): pulumi.Inputs {
  return { ...outputsOf(name), ...Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) };
}

// the output properties of the Node class, declared once (declaration merging)
export interface PackageRepository extends RepositoryOutputProperties {}
export class PackageRepository extends pulumi.CustomResource {
  constructor(name: string, args: RepositoryArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('Repository'), name, props('Repository', args), opts);
  }
}

// the output properties of the Node class, declared once (declaration merging)
export interface PackageDeployKey extends DeployKeyOutputProperties {}
export class PackageDeployKey extends pulumi.CustomResource {
  constructor(name: string, args: DeployKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('DeployKey'), name, props('DeployKey', args), opts);
  }
}

// the output properties of the Node class, declared once (declaration merging)
export interface PackageSyncManifests extends SyncManifestsOutputProperties {}
export class PackageSyncManifests extends pulumi.CustomResource {
  constructor(name: string, args: SyncManifestsArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('SyncManifests'), name, props('SyncManifests', args), opts);
  }
}

// the output properties of the Node class, declared once (declaration merging)
export interface PackageControllerInstall extends ControllerInstallOutputProperties {}
export class PackageControllerInstall extends pulumi.CustomResource {
  constructor(name: string, args: ControllerInstallArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('ControllerInstall'), name, props('ControllerInstall', args), opts);
  }
}

// the output properties of the Node class, declared once (declaration merging)
export interface PackageOciSyncManifests extends OciSyncManifestsOutputProperties {}
export class PackageOciSyncManifests extends pulumi.CustomResource {
  constructor(name: string, args: OciSyncManifestsArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('OciSyncManifests'), name, props('OciSyncManifests', args), opts);
  }
}

// the output properties of the Node class, declared once (declaration merging)
export interface PackageControllerPreinstall extends ControllerPreinstallOutputProperties {}
export class PackageControllerPreinstall extends pulumi.CustomResource {
  constructor(name: string, args: ControllerPreinstallArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('ControllerPreinstall'), name, props('ControllerPreinstall', args), opts);
  }
}

// the output properties of the Node class, declared once (declaration merging)
export interface PackageOperatorInstall extends OperatorInstallOutputProperties {}
export class PackageOperatorInstall extends pulumi.CustomResource {
  constructor(name: string, args: OperatorInstallArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('OperatorInstall'), name, props('OperatorInstall', args), opts);
  }
}

// the output properties of the Node class, declared once (declaration merging)
export interface PackageFluxInstance extends FluxInstanceOutputProperties {}
export class PackageFluxInstance extends pulumi.CustomResource {
  constructor(name: string, args: FluxInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('FluxInstance'), name, props('FluxInstance', args), opts);
  }
}

// the output properties of the Node class, declared once (declaration merging)
export interface PackageInstanceManifests extends InstanceManifestsOutputProperties {}
export class PackageInstanceManifests extends pulumi.CustomResource {
  constructor(name: string, args: InstanceManifestsArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenOf('InstanceManifests'), name, props('InstanceManifests', args), opts);
  }
}

/** Bootstrap made of the package resources: the plugin's Construct builds it, and a Node.js
 *  program may use it directly (`flux-bootstrap/pulumi/plugin`). */
export class PackageBootstrap extends Bootstrap {
  static override readonly parts = {
    Repository: PackageRepository,
    DeployKey: PackageDeployKey,
    SyncManifests: PackageSyncManifests,
    ControllerInstall: PackageControllerInstall,
    OciSyncManifests: PackageOciSyncManifests,
    ControllerPreinstall: PackageControllerPreinstall,
    OperatorInstall: PackageOperatorInstall,
    FluxInstance: PackageFluxInstance,
    InstanceManifests: PackageInstanceManifests,
  };
}
