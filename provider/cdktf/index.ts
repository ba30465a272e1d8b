// `flux-bootstrap/cdktf`: `flux bootstrap` as a construct of CDK for Terraform (`cdktf`) or CDK
// Terrain (`cdktn`), on whichever library the stack is built with; no provider package needed.
export { FluxBootstrap } from './flux-bootstrap';
export { FluxCluster } from './flux-cluster';
export { FluxOperator, type FluxOperatorProps } from './flux-operator';
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
export type { Dependable, TerraformProviderRef, TerraformResourceRef, MetaArguments, Lifecycle } from './terraform-types';
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
