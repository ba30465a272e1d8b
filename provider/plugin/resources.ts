// The custom resources the plugin serves, each backed by the same implementation module the
// Node dynamic resources load (provider/resources/*): one implementation, two front ends. This
// table only says which module, which properties are secret and which are computed outputs.
import type * as dyn from '@pulumi/pulumi/dynamic';

export interface ImplModule {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.CheckResult>;
  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.DiffResult>;
  create(inputs: Record<string, unknown>): Promise<dyn.CreateResult>;
  read(id: string, props: Record<string, unknown>): Promise<dyn.ReadResult>;
  update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dyn.UpdateResult>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}

export interface ResourceKind {
  /** the Pulumi type token, `flux-bootstrap:index:<Name>` */
  token: string;
  name:
    | 'Repository'
    | 'DeployKey'
    | 'SyncManifests'
    | 'ControllerInstall'
    | 'OciSyncManifests'
    | 'ControllerPreinstall'
    | 'OperatorInstall'
    | 'FluxInstance'
    | 'InstanceManifests';
  /** loaded on first use: check and diff of one kind need no other kind's clients */
  impl: () => ImplModule;
  /** stored encrypted, as the dynamic resources' additionalSecretOutputs */
  secrets: string[];
  /** computed by the provider: unknown in a preview until create or update has run */
  outputs: string[];
  /** computed by check from the inputs (kept, not compared as user inputs) */
  derived: string[];
  /** the outputs an update may change (the others keep their value through an update) */
  volatile: string[];
  /** secret inputs stored once, in the inputs: not repeated in the outputs, since the engine
   *  hands the old inputs to diff, read, update and delete (server.ts puts them back) */
  writeOnly: string[];
}

export const PACKAGE = 'flux-bootstrap';
export const tokenOf = (name: string) => `${PACKAGE}:index:${name}`;

export const KINDS: ResourceKind[] = [
  {
    token: tokenOf('Repository'),
    name: 'Repository',
    impl: () => require('../resources/repository') as ImplModule,
    secrets: ['token', 'auth'],
    outputs: ['pushUrl', 'syncUrl', 'httpsUrl', 'sshUrl', 'created'],
    // check computes the URLs from the host inputs (known at preview)
    derived: ['pushUrl', 'syncUrl', 'httpsUrl', 'sshUrl'],
    volatile: [],
    writeOnly: ['token', 'auth'],
  },
  {
    token: tokenOf('DeployKey'),
    name: 'DeployKey',
    impl: () => require('../resources/deploy-key') as ImplModule,
    secrets: ['privateKey', 'passphrase', 'token'],
    outputs: ['publicKey', 'fingerprint', 'privateKey', 'knownHosts', 'keyId', 'registeredTitle', 'manual', 'generated', 'knownHostsGiven'],
    derived: [],
    volatile: ['keyId', 'registeredTitle'],
    // privateKey is not: a generated key is an output
    writeOnly: ['passphrase', 'token'],
  },
  {
    token: tokenOf('SyncManifests'),
    name: 'SyncManifests',
    impl: () => require('../resources/sync-manifests') as ImplModule,
    secrets: ['auth'],
    outputs: ['commit', 'headSha', 'files', 'version', 'directory', 'committedKustomization'],
    derived: ['desiredFiles', 'plan', 'renderStamp'],
    volatile: ['commit', 'headSha', 'committedKustomization'],
    writeOnly: ['auth'],
  },
  {
    token: tokenOf('ControllerInstall'),
    name: 'ControllerInstall',
    impl: () => require('../resources/controller-install') as ImplModule,
    secrets: ['cluster', 'credentials', 'registryCredentials'],
    outputs: ['version', 'components', 'objectsHash', 'inventory', 'watched', 'revision', 'drift'],
    derived: ['desiredHash', 'plan', 'renderStamp'],
    volatile: ['objectsHash', 'inventory', 'watched', 'revision', 'drift'],
    writeOnly: ['cluster', 'credentials', 'registryCredentials'],
  },
  {
    token: tokenOf('OciSyncManifests'),
    name: 'OciSyncManifests',
    impl: () => require('../resources/oci-sync-manifests') as ImplModule,
    secrets: ['auth'],
    outputs: ['digest', 'pushedDigest', 'revision', 'version', 'directory'],
    derived: ['layerDigest'],
    volatile: ['digest', 'pushedDigest', 'revision'],
    writeOnly: ['auth'],
  },
  {
    token: tokenOf('ControllerPreinstall'),
    name: 'ControllerPreinstall',
    impl: () => require('../resources/controller-preinstall') as ImplModule,
    secrets: ['cluster', 'registryCredentials'],
    outputs: ['preinstalled'],
    derived: [],
    volatile: [],
    writeOnly: ['cluster', 'registryCredentials'],
  },
  {
    token: tokenOf('OperatorInstall'),
    name: 'OperatorInstall',
    impl: () => require('../resources/operator-install') as ImplModule,
    secrets: ['cluster'],
    outputs: ['objectsHash', 'inventory', 'releases', 'guarded', 'drift'],
    derived: ['desiredHash', 'plan', 'renderStamp'],
    volatile: ['objectsHash', 'inventory', 'releases', 'drift'],
    writeOnly: ['cluster'],
  },
  {
    token: tokenOf('FluxInstance'),
    name: 'FluxInstance',
    impl: () => require('../resources/flux-instance') as ImplModule,
    secrets: ['cluster', 'credentials'],
    outputs: ['version', 'lastAppliedRevision', 'revision', 'objectsHash', 'drift'],
    // check resolves the range against the operator's releases: known at preview
    derived: ['resolvedVersion', 'desiredHash', 'plan', 'renderStamp'],
    volatile: ['version', 'lastAppliedRevision', 'revision', 'objectsHash', 'drift'],
    writeOnly: ['cluster', 'credentials'],
  },
  {
    token: tokenOf('InstanceManifests'),
    name: 'InstanceManifests',
    impl: () => require('../resources/instance-manifests') as ImplModule,
    secrets: ['auth'],
    outputs: ['commit', 'headSha', 'files', 'directory', 'replaced'],
    derived: ['desiredFiles', 'plan', 'renderStamp'],
    volatile: ['commit', 'headSha', 'files'],
    writeOnly: ['auth'],
  },
];

/** Outputs as stored: without the write-only secret inputs. */
export function storedOutputs(kind: ResourceKind, outs: Record<string, unknown>): Record<string, unknown> {
  const out = { ...outs };
  for (const k of kind.writeOnly) delete out[k];
  return out;
}

/** The old outputs with the write-only inputs put back, as the implementations expect them. */
export function withOldInputs(
  kind: ResourceKind,
  olds: Record<string, unknown>,
  oldInputs: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out = { ...olds };
  for (const k of kind.writeOnly) if (oldInputs?.[k] !== undefined) out[k] = oldInputs[k];
  return out;
}

/** The kind a URN names (`urn:pulumi:stack::project::flux-bootstrap:index:Repository::name`). */
export function kindOfUrn(urn: string): ResourceKind {
  const type = urn.split('::')[2]?.split('$').pop() ?? '';
  const kind = KINDS.find((k) => k.token === type);
  if (!kind)
    throw new Error(`flux-bootstrap: unknown resource type ${type || urn}; this plugin serves ${KINDS.map((k) => k.token).join(', ')}`);
  return kind;
}
