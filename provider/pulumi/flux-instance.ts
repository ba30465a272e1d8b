// FluxInstance: the Flux Operator's FluxInstance and its sync Secret in one cluster, waited for
// until Ready (provider/resources/flux-instance.ts).
import * as pulumi from '@pulumi/pulumi';
import type { FluxInstanceInput } from '../../schema/input-types';
import type { ClusterArgs, CredentialsArgs } from './args';
import { DynamicStubResource } from './dynamic-resource';
import type { GuardedObject } from './operator-install';
import { withSecretInputs, withSecretOutputs } from './options';

export interface FluxInstanceWaitArgs {
  /** wait until the FluxInstance is Ready and, with a commit, its sync at that commit (default true) */
  reconciliation?: pulumi.Input<boolean>;
  /** default 300 */
  timeoutSeconds?: pulumi.Input<number>;
}

export interface FluxInstanceArgs {
  /** the operator's namespace (default flux-system) */
  namespace?: pulumi.Input<string>;
  /** the FluxInstance spec: distribution, components, cluster, sharding, storage, kustomize, sync */
  instance: pulumi.Input<FluxInstanceInput>;
  /** the operator whose releases the range resolves against: an OperatorInstall's version, source and digest */
  operator: pulumi.Input<{
    version: pulumi.Input<string>;
    source?: pulumi.Input<string | undefined>;
    digest?: pulumi.Input<string | undefined>;
  }>;
  /** the cluster (stored encrypted) */
  cluster: pulumi.Input<ClusterArgs>;
  /** the sync's pull Secret (stored encrypted); none with a cloud's workload identity */
  credentials?: pulumi.Input<CredentialsArgs>;
  /** the commit (or artifact digest) the sync must reach, e.g. InstanceManifests.commit */
  commit?: pulumi.Input<string>;
  wait?: pulumi.Input<FluxInstanceWaitArgs>;
  /** OperatorInstall.guarded, in the move */
  releaseGuards?: pulumi.Input<GuardedObject[] | undefined>;
}

export interface FluxInstanceOutputProperties {
  /** the release the range resolves to among the operator's (a preview shows it) */
  readonly resolvedVersion: pulumi.Output<string>;
  /** the release the operator reports applied */
  readonly version: pulumi.Output<string>;
  readonly lastAppliedRevision: pulumi.Output<string>;
  /** the sync's revision when last seen */
  readonly revision: pulumi.Output<string>;
  readonly objectsHash: pulumi.Output<string>;
  readonly drift: pulumi.Output<string[]>;
  readonly plan: pulumi.Output<string>;
}

export interface FluxInstance extends FluxInstanceOutputProperties {}
export class FluxInstance extends DynamicStubResource {
  constructor(name: string, args: FluxInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      resolvedVersion: undefined,
      version: undefined,
      lastAppliedRevision: undefined,
      revision: undefined,
      objectsHash: undefined,
      drift: undefined,
      plan: undefined,
    };
    super(
      'flux-instance',
      'FluxInstance',
      name,
      withSecretInputs({ ...args, ...outputs }, ['cluster', 'credentials']),
      withSecretOutputs(opts, ['cluster', 'credentials']),
    );
  }
}
