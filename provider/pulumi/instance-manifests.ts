// InstanceManifests: the FluxInstance manifest committed at <path>/<namespace>/flux-instance.yaml
// (provider/resources/instance-manifests.ts); the move replaces a classic bootstrap's files there.
import * as pulumi from '@pulumi/pulumi';
import type { FluxInstanceInput } from '../../schema/input-types';
import type { GitAuthArgs } from './args';
import { DynamicStubResource } from './dynamic-resource';
import { withHiddenDiffs, withSecretInputs, withSecretOutputs } from './options';

export interface InstanceManifestsArgs {
  /** the URL Flux pulls from; pushes go there too unless pushUrl is given */
  url: pulumi.Input<string>;
  pushUrl?: pulumi.Input<string>;
  /** push credentials (stored encrypted) */
  auth?: pulumi.Input<GitAuthArgs>;
  branch?: pulumi.Input<string>;
  path?: pulumi.Input<string>;
  namespace?: pulumi.Input<string>;
  instance: pulumi.Input<FluxInstanceInput>;
  authorName?: pulumi.Input<string>;
  authorEmail?: pulumi.Input<string>;
  commitMessageAppendix?: pulumi.Input<string>;
  /** replace a classic bootstrap's files in the directory (the move) */
  adopt?: pulumi.Input<boolean>;
  keepFilesOnDestroy?: pulumi.Input<boolean>;
}

export interface InstanceManifestsOutputProperties {
  /** the commit holding the manifest */
  readonly commit: pulumi.Output<string>;
  readonly headSha: pulumi.Output<string>;
  /** path -> blob id */
  readonly files: pulumi.Output<Record<string, string>>;
  readonly directory: pulumi.Output<string>;
  /** the classic files the first commit replaced ('' without a move) */
  readonly replaced: pulumi.Output<string>;
  readonly desiredFiles: pulumi.Output<Record<string, string>>;
  readonly plan: pulumi.Output<string>;
}

export interface InstanceManifests extends InstanceManifestsOutputProperties {}
export class InstanceManifests extends DynamicStubResource {
  constructor(name: string, args: InstanceManifestsArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      commit: undefined,
      headSha: undefined,
      files: undefined,
      directory: undefined,
      replaced: undefined,
      desiredFiles: undefined,
      plan: undefined,
    };
    super(
      'instance-manifests',
      'InstanceManifests',
      name,
      withSecretInputs({ ...args, ...outputs }, ['auth']),
      withHiddenDiffs(withSecretOutputs(opts, ['auth']), ['renderStamp']),
    );
  }
}
