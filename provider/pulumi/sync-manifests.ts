// SyncManifests: the three files under <path>/<namespace>/ on the branch, one commit per change.
import * as pulumi from '@pulumi/pulumi';
import type { CommitArgs, DistributionArgs, GitAuthArgs, InstallArgs, SyncArgs } from './args';
import { MODULE, withSecretInputs, withSecretOutputs } from './options';
import { stubProvider } from './stub';

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

export class SyncManifests extends pulumi.dynamic.Resource {
  /** the commit holding the files as desired (the last one this resource made or found) */
  declare readonly commit: pulumi.Output<string>;
  /** the branch head when last observed */
  declare readonly headSha: pulumi.Output<string>;
  /** path -> git blob id of the files as observed in the repository */
  declare readonly files: pulumi.Output<Record<string, string>>;
  /** path -> git blob id of the files as rendered from the inputs */
  declare readonly desiredFiles: pulumi.Output<Record<string, string>>;
  /** what the last change did, one line per file (`... gotk-components.yaml +12 -12`) */
  declare readonly plan: pulumi.Output<string>;
  /** the Flux release rendered (e.g. "latest" resolved) */
  declare readonly version: pulumi.Output<string>;
  /** `<path>/<namespace>` */
  declare readonly directory: pulumi.Output<string>;
  /** the user's own kustomization.yaml when the program does not manage it ('' when absent or
   *  generated); give it to ControllerInstall so the install applies its patches */
  declare readonly committedKustomization: pulumi.Output<string>;

  constructor(name: string, args: SyncManifestsArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { commit: undefined, headSha: undefined, files: undefined, desiredFiles: undefined, plan: undefined, directory: undefined, committedKustomization: undefined };
    super(stubProvider('sync-manifests'), name, withSecretInputs({ ...args, ...outputs }, ['auth', 'registryCredentials']), withSecretOutputs(opts, ['auth', 'registryCredentials']), MODULE, 'SyncManifests');
  }
}
