// `flux-bootstrap/cdktf`: `flux bootstrap` as a CDK for Terraform construct.
export { FluxBootstrap } from './flux-bootstrap';
export { FluxCluster } from './flux-cluster';
export type {
  FluxBootstrapProps,
  RepositoryProps,
  GitHubRepositoryProps,
  GitLabRepositoryProps,
  ClusterProps,
  ClusterApplyProps,
  DeployKeyProps,
  FluxClusterProps,
  FluxEngineProps,
  SshCredentialsProps,
  RegistryCredentialsProps,
} from './props';
export {
  KubectlProvider,
  KubectlManifest,
  KUBECTL_PROVIDER_VERSION,
  type KubectlProviderConfig,
  type KubectlManifestConfig,
} from './kubectl';
export { stageObjects, type StagedObject, type Stage } from './stages';
export { checkProps, checkClusterProps } from './validate';
export { loadDistributionSync } from './distribution-sync';
export { InputError, InputErrors } from '../errors';
