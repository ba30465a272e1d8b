// OperatorInstall: the Flux Operator's own manifests for a pinned release, in one cluster
// (provider/resources/operator-install.ts).
import * as pulumi from '@pulumi/pulumi';
import type { ClusterArgs } from './args';
import { DynamicStubResource } from './dynamic-resource';
import { withSecretInputs, withSecretOutputs } from './options';

export interface OperatorWaitArgs {
  /** wait until the operator's Deployment is available (default true; false for clusters without nodes) */
  deployments?: pulumi.Input<boolean>;
  /** default 300 */
  timeoutSeconds?: pulumi.Input<number>;
}

export interface OperatorInstallArgs {
  /** the operator release, e.g. "v0.59.0" */
  version: pulumi.Input<string>;
  /** where it runs, and its FluxInstance with it (default flux-system) */
  namespace?: pulumi.Input<string>;
  /** where the operator's Go module is read from: a GOPROXY URL (default https://proxy.golang.org), a module directory or zip */
  source?: pulumi.Input<string>;
  /** the module's go.sum digest (h1:...), known for the releases this package was checked with */
  digest?: pulumi.Input<string>;
  /** the cluster (stored encrypted) */
  cluster: pulumi.Input<ClusterArgs>;
  wait?: pulumi.Input<OperatorWaitArgs>;
  /** take over an operator installed another way in the namespace */
  adopt?: pulumi.Input<boolean>;
}

/** A reference to an object guarded during the move (operator-handover.ts). */
export interface GuardedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface OperatorInstallOutputProperties {
  readonly version: pulumi.Output<string>;
  readonly namespace: pulumi.Output<string | undefined>;
  readonly source: pulumi.Output<string | undefined>;
  readonly digest: pulumi.Output<string | undefined>;
  /** hash of the objects last applied */
  readonly objectsHash: pulumi.Output<string>;
  /** the objects applied, `Kind/namespace/name` */
  readonly inventory: pulumi.Output<string[]>;
  /** the Flux releases this operator carries: what a FluxInstance's range resolves against */
  readonly releases: pulumi.Output<string[]>;
  /** a classic bootstrap's objects kept from its prune until the move is reconciled (the move only) */
  readonly guarded: pulumi.Output<GuardedObject[] | undefined>;
  readonly drift: pulumi.Output<string[]>;
  readonly plan: pulumi.Output<string>;
}

export interface OperatorInstall extends OperatorInstallOutputProperties {}
export class OperatorInstall extends DynamicStubResource {
  constructor(name: string, args: OperatorInstallArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      objectsHash: undefined,
      inventory: undefined,
      releases: undefined,
      guarded: undefined,
      drift: undefined,
      plan: undefined,
    };
    super(
      'operator-install',
      'OperatorInstall',
      name,
      withSecretInputs({ ...args, ...outputs }, ['cluster']),
      withSecretOutputs(opts, ['cluster']),
    );
  }
}
