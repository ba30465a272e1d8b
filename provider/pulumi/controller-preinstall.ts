// ControllerPreinstall: the controllers applied on a first install while the commit is pushed
// (provider/resources/controller-preinstall.ts says why and when it does nothing). Bootstrap wires it; used
// alone, give it the ControllerInstall's install options and cluster, and pass its
// `preinstalled` to that ControllerInstall.
import * as pulumi from '@pulumi/pulumi';
import type { ClusterArgs, DistributionArgs, InstallArgs, SyncArgs } from './args';
import { withSecretInputs, withSecretOutputs } from './options';
import { DynamicStubResource } from './dynamic-resource';

export interface ControllerPreinstallArgs extends InstallArgs, SyncArgs, DistributionArgs {
  cluster: pulumi.Input<ClusterArgs>;
}

/** What a ControllerPreinstall outputs: the Node class and the package resource (provider/plugin/package-resources.ts) alike. */
export interface ControllerPreinstallOutputProperties {
  /** where it applied the controllers, `<API server>/<namespace>`; '' when the namespace
   *  existed already and it left them to ControllerInstall */
  readonly preinstalled: pulumi.Output<string>;
}

// the class takes its output properties from the interface above (declaration merging)
export interface ControllerPreinstall extends ControllerPreinstallOutputProperties {}
export class ControllerPreinstall extends DynamicStubResource {
  constructor(name: string, args: ControllerPreinstallArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      'controller-preinstall',
      'ControllerPreinstall',
      name,
      withSecretInputs({ ...args, preinstalled: undefined }, ['cluster', 'registryCredentials']),
      withSecretOutputs(opts, ['cluster', 'registryCredentials']),
    );
  }
}
