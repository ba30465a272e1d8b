// Git operations with the real git binary: cheap observation (ls-remote, blob-less tree
// reads) and single-commit writes that survive concurrent writers.
export type { GitAuth, SecretValue } from './auth';
export { GitError, type GitErrorKind } from './git-error';
export { blobId } from './blob-id';
export { remoteHead } from './remote-head';
export { readTree, readBlobs, type TreeListing, type BlobsResult } from './read-tree';
export type { TreeEntry } from './fetch';
export {
  sharedRemoteHead,
  sharedTree,
  sharedContains,
  forgetObservations,
  clearObservations,
  OBSERVATION_TTL_MS,
} from './shared-observations';
export { branchHistory, ancestryIn, type CommitHistory } from './ancestry';
export {
  commitFiles,
  commitPlanned,
  type CommitRequest,
  type CommitResult,
  type CommitPlan,
  type PlannedCommitRequest,
} from './commit-files';
export type { CommitSigning } from './signing';
export { makeRedactor, redact, type Redactor } from './redact';
export { parseRemoteUrl, type RemoteUrl } from './remote-url';
