// SyncManifests: the three files under <path>/<namespace>/ on the branch, one commit per change.
import * as pulumi from '@pulumi/pulumi';
import type { CommitArgs, DistributionArgs, GitAuthArgs, InstallArgs, SyncArgs } from './args';
import { STAMP_FIELD } from '../resources/check-memo';
import { withHiddenDiffs, withSecretInputs, withSecretOutputs } from './options';
import { DynamicStubResource } from './dynamic-resource';

export interface SyncManifestsArgs extends Omit<InstallArgs, 'registryCredentials'>, SyncArgs, Partial<CommitArgs>, DistributionArgs {
  /** where to push; default `url`, the URL Flux pulls from */
  pushUrl?: pulumi.Input<string>;
  /** push credentials (stored encrypted) */
  auth?: pulumi.Input<GitAuthArgs>;
  /** leave the files in the repository on destroy (default false: one commit removes them) */
  keepFilesOnDestroy?: pulumi.Input<boolean>;
  /** take over Flux manifests already in the directory that differ from what this resource
   *  would write (another stack's, `flux bootstrap`'s); default false: creating over them
   *  fails and names the path, before anything is written */
  adopt?: pulumi.Input<boolean>;
}

/** What a SyncManifests outputs: the Node class and the package resource (provider/plugin/package-resources.ts) alike. */
export interface SyncManifestsOutputProperties {
  /** the commit holding the files as desired (the last one this resource made or found) */
  readonly commit: pulumi.Output<string>;
  /** the branch head when last observed */
  readonly headSha: pulumi.Output<string>;
  /** path -> git blob id of the files as observed in the repository */
  readonly files: pulumi.Output<Record<string, string>>;
  /** path -> git blob id of the files as rendered from the inputs */
  readonly desiredFiles: pulumi.Output<Record<string, string>>;
  /** what the last change did, one line per file (`... gotk-components.yaml +12 -12`) */
  readonly plan: pulumi.Output<string>;
  /** the Flux release rendered (e.g. "latest" resolved) */
  readonly version: pulumi.Output<string>;
  /** `<path>/<namespace>` */
  readonly directory: pulumi.Output<string>;
  /** the user's own kustomization.yaml when the program does not manage it ('' when absent or
   *  generated); give it to ControllerInstall so the install applies its patches */
  readonly committedKustomization: pulumi.Output<string>;
}

// the class takes its output properties from the interface above (declaration merging)
export interface SyncManifests extends SyncManifestsOutputProperties {}
export class SyncManifests extends DynamicStubResource {
  constructor(name: string, args: SyncManifestsArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      commit: undefined,
      headSha: undefined,
      files: undefined,
      desiredFiles: undefined,
      plan: undefined,
      directory: undefined,
      committedKustomization: undefined,
    };
    super(
      'sync-manifests',
      'SyncManifests',
      name,
      withSecretInputs({ ...args, ...outputs }, ['auth', 'registryCredentials']),
      withHiddenDiffs(withSecretOutputs(opts, ['auth', 'registryCredentials']), ['plan', STAMP_FIELD]),
    );
  }
}
