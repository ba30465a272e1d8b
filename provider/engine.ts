// The engine's public API: schemas and validation, distributions, generators, desired state
// and errors. Pulumi, CDKTF, the cluster layer and the CLI build on this module only.
export * from '../schema/index';
export { InputError, InputErrors, DistributionError, formatInputError, displayValue } from './errors';
export { Secret } from './secret';
export {
  loadDistribution,
  availableComponents,
  makeDistribution,
  ManifestCache,
  defaultCacheDir,
  DEFAULT_RELEASES_URL,
  releaseArchiveUrl,
  sha256Digest,
  type Distribution,
  type LoadDistributionOptions,
} from './distribution/index';
export { generateComponents, componentObjects, selectedComponents, GENERATED_WARNING } from './generate/components';
export { generateSync, syncObjects, kustomizationPath, KUSTOMIZATION_INTERVAL } from './generate/sync';
export { generateKustomization, kustomizationObject, COMPONENTS_FILE, SYNC_FILE, KUSTOMIZATION_FILE } from './generate/kustomization';
export {
  sourceSecret,
  sourceSecretShape,
  imagePullSecret,
  pullSecretShape,
  dockerConfigJson,
  knownHostsName,
  transportOf,
  type SourceCredentials,
  type SourceSecretShape,
  type PullSecretShape,
  type GitTransport,
} from './generate/secrets';
export { generatorTraits, GENERATOR_TABLE, type GeneratorTraits } from './generate/generator-versions';
export { marshal as marshalYaml, type YamlValue } from './generate/goyaml/emitter';
export type { KubeObject } from './generate/kustomize/objects';
export { desiredState, gitBlobId, applyOrder, type DesiredState } from './desired-state';
