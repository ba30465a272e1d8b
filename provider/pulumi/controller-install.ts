// ControllerInstall: the Flux controllers, source Secret and sync objects in one cluster.
import * as pulumi from '@pulumi/pulumi';
import type { ClusterArgs, CredentialsArgs, DistributionArgs, InstallArgs, SyncArgs, WaitArgs } from './args';
import { STAMP_FIELD } from '../resources/check-memo';
import { withHiddenDiffs, withSecretInputs, withSecretOutputs } from './options';
import { DynamicStubResource } from './dynamic-resource';

export interface ControllerInstallArgs extends InstallArgs, SyncArgs, DistributionArgs {
  /** the cluster (stored encrypted); unknown at preview is fine: nothing is touched then */
  cluster: pulumi.Input<ClusterArgs>;
  /** the source Secret's credentials (stored encrypted), e.g. a DeployKey's outputs */
  credentials?: pulumi.Input<CredentialsArgs>;
  /** the commit Flux must have reconciled, e.g. SyncManifests.commit; a newer commit of the
   *  branch that contains it (others pushed on top) counts too */
  commit?: pulumi.Input<string>;
  /** SyncManifests.committedKustomization: a kustomization.yaml the user committed (and the
   *  program does not manage); the install applies the objects with its patches, as Flux will */
  committedKustomization?: pulumi.Input<string>;
  wait?: pulumi.Input<WaitArgs>;
  /** keep the namespace (and the Secret in it) on destroy */
  keepNamespace?: pulumi.Input<boolean>;
  /** take over a Flux already installed by `flux bootstrap` or the Terraform provider */
  adopt?: pulumi.Input<boolean>;
  /** take over even a Flux managed by Helm or the Flux Operator */
  force?: pulumi.Input<boolean>;
  /** destroy succeeds when the API server cannot be reached (the cluster was deleted first),
   *  like pulumi-kubernetes' deleteUnreachable; default false: destroy fails and says why */
  deleteUnreachable?: pulumi.Input<boolean>;
  /** a ControllerPreinstall's `preinstalled` (`<API server>/<namespace>`): a Flux found exactly
   *  there is its work, not one to adopt */
  preinstalled?: pulumi.Input<string>;
}

/** What a ControllerInstall outputs: the Node class and the package resource (provider/plugin/package-resources.ts) alike. */
export interface ControllerInstallOutputProperties {
  /** the Flux release installed */
  readonly version: pulumi.Output<string>;
  readonly components: pulumi.Output<string[]>;
  /** hash of the objects last applied */
  readonly objectsHash: pulumi.Output<string>;
  /** the objects applied, `Kind/namespace/name` */
  readonly inventory: pulumi.Output<string[]>;
  /** the revision Flux reconciled, `<branch>@sha1:<commit>` */
  readonly revision: pulumi.Output<string>;
  /** what the last refresh found out of line (missing or edited objects, a sync not Ready) */
  readonly drift: pulumi.Output<string[]>;
  /** what the last change applied, by object */
  readonly plan: pulumi.Output<string>;
}

// the class takes its output properties from the interface above (declaration merging)
export interface ControllerInstall extends ControllerInstallOutputProperties {}
export class ControllerInstall extends DynamicStubResource {
  constructor(name: string, args: ControllerInstallArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      version: args.version,
      components: args.components,
      objectsHash: undefined,
      inventory: undefined,
      watched: undefined,
      revision: undefined,
      drift: undefined,
      plan: undefined,
    };
    super(
      'controller-install',
      'ControllerInstall',
      name,
      withSecretInputs({ ...args, ...outputs }, ['cluster', 'credentials', 'registryCredentials']),
      // its plan (`update 4 (Deployment/...)`) stays shown: one line, the old value beside the new
      withHiddenDiffs(withSecretOutputs(opts, ['cluster', 'credentials', 'registryCredentials']), [STAMP_FIELD]),
    );
  }
}
