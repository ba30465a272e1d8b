// The cluster layer: connect, plan, apply, prune, wait, adopt and uninstall Flux on a cluster.
export { connect, Connection, type ConnectOptions } from './connection';
export type { ConnectionSpec, ExecConfig, SecretInput } from './connection-spec';
export { applyObjects, countActions, type ApplyOptions, type ApplyAction, type ObjectResult } from './apply';
export { planApply, isEmptyPlan, type ApplyPlan, type PlanOptions } from './plan';
export { applySecret, secretBody, type ApplySecretOptions } from './secret-apply';
export { readLive, liveOf, type LiveIndex } from './live-read';
export { listInventory, inventorySelector, isInventoryMember, PART_OF_LABEL, INSTANCE_LABEL } from './inventory';
export { prune, selectPruneCandidates, type PruneOptions, type PruneResult } from './prune';
export { waitForReconciliation, type WaitOptions, type WaitChecks, type WaitResult } from './wait';
export { assessSource, assessKustomization, assessDeployment, normalizeRevision, revisionMatches, type Health } from './status';
export {
  detectInstallation,
  assertAdoptable,
  judgeInstallation,
  type Installation,
  type InstallationStatus,
  type InstallationOwner,
} from './detect';
export { uninstall, type UninstallOptions, type UninstallReport } from './uninstall';
export { stageObjects } from './staging';
export { diffPaths, objectChanges } from './diff';
export { ClusterError, ApiError, AggregateClusterError, UnreachableError, isUnreachable } from './errors';
export type { KubeObject, ObjectInput, ObjectRef } from './objects';
