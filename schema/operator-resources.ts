// The resource-level inputs and outputs of the Flux Operator resources (OperatorInstall,
// FluxInstance, InstanceManifests) and of Bootstrap's operator flavor, beyond the spec in
// flux-instance.ts. The Pulumi package schema (provider/plugin/schema.json) is generated from
// these; the resources check the values themselves.
import { Type, type TSchema } from '@sinclair/typebox';
import { FluxInstanceSchema, OperatorProperties } from './flux-instance';
import { Cluster, Credentials, GitAuth, SyncManifestsProperties } from './resources';

const S = (description: string, extra: Record<string, unknown> = {}) => Type.Optional(Type.String({ description, ...extra }));
const B = (description: string) => Type.Optional(Type.Boolean({ description }));
const secret = { 'x-secret': true };

export const OperatorWait = Type.Object(
  {
    deployments: B("Wait until the operator's Deployment is available. Default true; false for clusters without nodes."),
    timeoutSeconds: Type.Optional(Type.Number({ description: 'How long to wait, in seconds. Default 300.' })),
  },
  { $id: 'OperatorWait', description: 'What OperatorInstall waits for after applying.' },
);

export const InstanceWait = Type.Object(
  {
    reconciliation: B('Wait until the FluxInstance is Ready and, given a commit, its sync has reconciled it. Default true.'),
    timeoutSeconds: Type.Optional(Type.Number({ description: 'How long to wait, in seconds. Default 300.' })),
  },
  { $id: 'InstanceWait', description: 'What FluxInstance waits for after applying.' },
);

export const OperatorRef = Type.Object(
  {
    version: Type.String({ description: "The operator release (an OperatorInstall's version)." }),
    source: S("Where its module is read from (an OperatorInstall's source)."),
    digest: S("Its module's go.sum digest."),
  },
  { $id: 'OperatorRef', description: 'The operator whose Flux releases a version range resolves against.' },
);

export const GuardedObject = Type.Object(
  {
    apiVersion: Type.String({ description: 'API version.' }),
    kind: Type.String({ description: 'Kind.' }),
    namespace: S('Namespace, for namespaced objects.'),
    name: Type.String({ description: 'Name.' }),
  },
  { $id: 'GuardedObject', description: "An object a classic bootstrap's Kustomization applied, kept from its prune during the move." },
);

const cluster = Type.Ref(Cluster, { description: 'The cluster (stored encrypted).', ...secret });
const namespace = S('The operator\'s namespace; its FluxInstance is `flux` there. Default "flux-system".');

export const OperatorInstallProperties = {
  ...OperatorProperties,
  namespace,
  cluster,
  wait: Type.Optional(Type.Ref(OperatorWait, { description: 'What to wait for after applying.' })),
  adopt: B('Take over an operator installed another way (Helm, kubectl) in the namespace.'),
};

export const FluxInstanceResourceProperties = {
  namespace,
  instance: Type.Ref(FluxInstanceSchema, { description: 'The FluxInstance spec.' }),
  operator: Type.Ref(OperatorRef, { description: "The OperatorInstall's version, source and digest." }),
  cluster,
  credentials: Type.Optional(
    Type.Ref(Credentials, {
      description:
        "The sync's pull Secret (stored encrypted): an SSH key, HTTPS credentials, a GitHub App or registry credentials. None with a cloud's workload identity.",
      ...secret,
    }),
  ),
  commit: S('The commit (or artifact digest) the sync must reach, e.g. InstanceManifests.commit.'),
  wait: Type.Optional(Type.Ref(InstanceWait, { description: 'What to wait for after applying.' })),
  releaseGuards: Type.Optional(Type.Array(Type.Ref(GuardedObject), { description: 'OperatorInstall.guarded, in the move.' })),
};

export const InstanceManifestsProperties = {
  url: Type.String({ description: 'The URL Flux pulls from; pushes go there unless pushUrl is given.' }),
  pushUrl: SyncManifestsProperties.pushUrl,
  auth: Type.Optional(Type.Ref(GitAuth, { description: 'Push credentials (stored encrypted).', ...secret })),
  branch: S('The branch. Default "main".'),
  path: S('Directory of the cluster in the repository; the manifest goes to <path>/<namespace>/flux-instance.yaml.'),
  namespace,
  instance: Type.Ref(FluxInstanceSchema, { description: 'The FluxInstance spec.' }),
  authorName: S('Author name of the commits. Default "Flux".'),
  authorEmail: S('Author e-mail of the commits.'),
  commitMessageAppendix: S('Appended to every commit message after a blank line.'),
  adopt: B(
    "Replace a classic bootstrap's files in the directory with the manifest (the move to the operator), or a manifest written by another tool.",
  ),
  keepFilesOnDestroy: SyncManifestsProperties.keepFilesOnDestroy,
};

/** Bootstrap's inputs for the operator flavor. */
export const BootstrapOperatorProperties = {
  flavor: S(
    '"classic" (default): what `flux bootstrap` does. "operator": the Flux Operator and a FluxInstance, its manifest committed to the repository.',
    {
      enum: ['classic', 'operator'],
    },
  ),
  instance: Type.Optional(
    Type.Ref(FluxInstanceSchema, {
      description: 'flavor "operator": the FluxInstance spec; its sync defaults to the repository, branch and path.',
    }),
  ),
  operator: Type.Optional(
    Type.Object(
      {
        version: OperatorProperties.version,
        source: OperatorProperties.source,
        digest: OperatorProperties.digest,
        wait: Type.Optional(Type.Ref(OperatorWait)),
      },
      { $id: 'BootstrapOperator', description: 'flavor "operator": the operator release to install.' },
    ),
  ),
};

export const OperatorOutputs: Record<string, Record<string, TSchema>> = {
  OperatorInstall: {
    objectsHash: Type.String({ description: 'Hash of the objects last applied.' }),
    inventory: Type.Array(Type.String(), { description: 'The objects applied, `Kind/namespace/name`.' }),
    releases: Type.Array(Type.String(), { description: 'The Flux releases this operator carries.' }),
    guarded: Type.Array(Type.Ref(GuardedObject), { description: "The classic bootstrap's objects kept from its prune during the move." }),
    drift: Type.Array(Type.String(), { description: 'What the last refresh found out of line.' }),
    plan: Type.String({ description: 'What the last change applied, by object.' }),
  },
  FluxInstance: {
    resolvedVersion: Type.String({ description: "The Flux release the range resolves to among the operator's (shown by a preview)." }),
    version: Type.String({ description: 'The Flux release the operator reports applied.' }),
    lastAppliedRevision: Type.String({ description: "The FluxInstance's status.lastAppliedRevision." }),
    revision: Type.String({ description: "The sync's revision when last seen." }),
    objectsHash: Type.String({ description: 'Hash of what was last applied.' }),
    drift: Type.Array(Type.String(), { description: 'What the last refresh found out of line.' }),
    plan: Type.String({ description: 'What the last change did.' }),
  },
  InstanceManifests: {
    commit: Type.String({ description: 'The commit holding the manifest.' }),
    headSha: Type.String({ description: 'The branch head when last observed.' }),
    files: Type.Record(Type.String(), Type.String(), { description: 'path -> git blob id as observed.' }),
    desiredFiles: Type.Record(Type.String(), Type.String(), { description: 'path -> git blob id as rendered.' }),
    directory: Type.String({ description: '`<path>/<namespace>`.' }),
    replaced: Type.String({ description: "The classic files the first commit replaced ('' without a move)." }),
    plan: Type.String({ description: 'What the last change did.' }),
  },
};

export const OperatorObjectTypes = [OperatorWait, InstanceWait, OperatorRef, GuardedObject, FluxInstanceSchema];
