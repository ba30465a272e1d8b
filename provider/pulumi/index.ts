// `flux-bootstrap/pulumi`: `flux bootstrap` as Pulumi resources.
export { Bootstrap, checkBootstrapArgs, type BootstrapArgs, type BootstrapRepositoryArgs, type BootstrapDeployKeyArgs } from './bootstrap';
export { Repository, type RepositoryArgs, type HostArgs, type HostKind } from './repository';
export { DeployKey, type DeployKeyArgs } from './deploy-key';
export { SyncManifests, type SyncManifestsArgs } from './sync-manifests';
export { ControllerInstall, type ControllerInstallArgs } from './controller-install';
export { OciSyncManifests, type OciSyncManifestsArgs, type RegistryAuthArgs } from './oci-sync-manifests';
export { ControllerPreinstall, type ControllerPreinstallArgs } from './controller-preinstall';
export { OperatorInstall, type OperatorInstallArgs, type OperatorWaitArgs } from './operator-install';
export { FluxInstance, type FluxInstanceArgs, type FluxInstanceWaitArgs } from './flux-instance';
export { InstanceManifests, type InstanceManifestsArgs } from './instance-manifests';
export type { FluxInstanceInput } from '../../schema/input-types';
export type { ClusterArgs, CommitArgs, CredentialsArgs, DistributionArgs, GitAuthArgs, InstallArgs, SyncArgs, WaitArgs } from './args';
export { deployKeyTitle } from '../hosts/titles';
export { InputError, InputErrors } from '../errors';
export {
  summarizeChanges,
  parseFilePlan,
  parseObjectPlan,
  type ChangeSummary,
  type FileChange,
  type ObjectChanges,
} from './change-summary';
