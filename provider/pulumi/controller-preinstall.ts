// ControllerPreinstall: the controllers applied on a first install while the commit is pushed
// (impl/controller-preinstall.ts says why and when it does nothing). Bootstrap wires it; used
// alone, give it the ControllerInstall's install options and cluster, and pass its
// `preinstalled` to that ControllerInstall.
import * as pulumi from '@pulumi/pulumi';
import type { ClusterArgs, DistributionArgs, InstallArgs, SyncArgs } from './args';
import { MODULE, withSecretInputs, withSecretOutputs } from './options';
import { stubProvider } from './stub';

export interface ControllerPreinstallArgs extends InstallArgs, SyncArgs, DistributionArgs {
  cluster: pulumi.Input<ClusterArgs>;
}

export class ControllerPreinstall extends pulumi.dynamic.Resource {
  /** where it applied the controllers, `<API server>/<namespace>`; '' when the namespace
   *  existed already and it left them to ControllerInstall */
  declare readonly preinstalled: pulumi.Output<string>;

  constructor(name: string, args: ControllerPreinstallArgs, opts?: pulumi.CustomResourceOptions) {
    super(stubProvider('controller-preinstall'), name, withSecretInputs({ ...args, preinstalled: undefined }, ['cluster', 'registryCredentials']), withSecretOutputs(opts, ['cluster', 'registryCredentials']), MODULE, 'ControllerPreinstall');
  }
}
