// `flux-bootstrap/pulumi/plugin`: the Bootstrap and resources of `flux-bootstrap/pulumi`, with the
// same inputs, outputs and behaviour, served by the flux-bootstrap provider plugin
// (`flux-bootstrap:index:<Name>` resources) instead of Pulumi's dynamic provider host. That host
// loads Pulumi's whole Node.js runtime, TypeScript included, before it answers, at every preview
// and up; the plugin loads only the gRPC stubs (docs/performance.md has both measured). The
// program's Pulumi.yaml must name the plugin (docs/pulumi.md, "A Node.js program served by the
// plugin").
export {
  PackageBootstrap as Bootstrap,
  PackageRepository as Repository,
  PackageDeployKey as DeployKey,
  PackageSyncManifests as SyncManifests,
  PackageControllerInstall as ControllerInstall,
  PackageControllerPreinstall as ControllerPreinstall,
  PackageOciSyncManifests as OciSyncManifests,
  PackageOperatorInstall as OperatorInstall,
  PackageFluxInstance as FluxInstance,
  PackageInstanceManifests as InstanceManifests,
} from '../plugin/package-resources';
export type { OperatorInstallArgs, OperatorWaitArgs } from './operator-install';
export type { FluxInstanceArgs, FluxInstanceWaitArgs } from './flux-instance';
export type { InstanceManifestsArgs } from './instance-manifests';
export type { FluxInstanceInput } from '../../schema/input-types';
export { checkBootstrapArgs, type BootstrapArgs, type BootstrapRepositoryArgs, type BootstrapDeployKeyArgs } from './bootstrap';
export type { RepositoryArgs, HostArgs, HostKind } from './repository';
export type { DeployKeyArgs } from './deploy-key';
export type { SyncManifestsArgs } from './sync-manifests';
export type { ControllerInstallArgs } from './controller-install';
export type { ControllerPreinstallArgs } from './controller-preinstall';
export type { OciSyncManifestsArgs, RegistryAuthArgs } from './oci-sync-manifests';
export type { ClusterArgs, CommitArgs, CredentialsArgs, DistributionArgs, GitAuthArgs, InstallArgs, SyncArgs, WaitArgs } from './args';
export { InputError, InputErrors } from '../errors';
export {
  summarizeChanges,
  parseFilePlan,
  parseObjectPlan,
  type ChangeSummary,
  type FileChange,
  type ObjectChanges,
} from './change-summary';
