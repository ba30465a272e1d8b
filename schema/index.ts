// The input schemas: the single source of truth for fields, defaults, validation and docs.
export * from './fields';
export { InstallSchema, InstallProperties, type InstallInput } from './install';
export { SyncSchema, SyncProperties, KustomizationOverride, KustomizationPatch, type SyncInput } from './sync';
export { CommitSchema, CommitProperties, type CommitInput } from './commit';
export * from './types';
export * from './validate';
export { RenderSchema, BootstrapSchema, SCHEMAS, newAjv } from './live-schemas';
export { checkSchema, SCHEMA_NAMES, type SchemaName } from './compiled-validators';
export { parseGoDuration, formatGoDuration, normalizeGoDuration } from './duration';
export { compareVersions, parseVersion, isValidBranch, isValidGitUrl, MIN_VERSION } from './checks';
export { optionsReference, optionsTable } from './docs';
export { GitHubAppSchema, GitHubAppProperties, checkGitHubAppKey, normalizeGitHubApp, type GitHubAppInput } from './github-app';
export {
  OciSettingsSchema,
  OciVerifySchema,
  checkOciUrl,
  isOciUrl,
  splitOciUrl,
  OCI_SCHEME,
  type OciSettings,
  type OciUrlParts,
} from './oci';
