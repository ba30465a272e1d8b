// The Flux Operator's inputs: which operator release OperatorInstall applies, and the spec of the
// FluxInstance it reconciles (fluxcd.controlplane.io/v1, the operator's api/v1 types and CRD
// rules are the specification). Nested objects mirror the CRD's, so the committed manifest reads
// like the operator's documentation.
import { Type, type Static } from '@sinclair/typebox';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, GO_DURATION, KNOWN_COMPONENTS, REGISTRY, RELATIVE_PATH, meta, stringEnum } from './fields';
import { KustomizationPatch } from './sync';

const boolean = (description: string) =>
  Type.Optional(Type.Boolean({ description, ...meta({ reason: 'must be a boolean', remedy: 'use true or false' }) }));
const name = (description: string, example: string) =>
  Type.Optional(
    Type.String({
      description,
      pattern: DNS1123_SUBDOMAIN,
      maxLength: 253,
      ...meta({ reason: "must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.')", remedy: `use e.g. "${example}"` }),
    }),
  );
const oneOf = <T extends string>(values: readonly T[], description: string) =>
  Type.Optional(
    stringEnum(values, { description, ...meta({ reason: `must be one of ${values.join(', ')}`, remedy: `use e.g. "${values[0]}"` }) }),
  );

export const OPERATOR_VERSION = '^v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$';

export const OperatorProperties = {
  version: Type.String({
    description:
      'Flux Operator release to install, e.g. "v0.59.0": its manifests come from that version of the Go module github.com/controlplaneio-fluxcd/flux-operator (config/default), and its FluxInstances resolve version ranges against the Flux releases it carries.',
    pattern: OPERATOR_VERSION,
    ...meta({ reason: 'must be an operator release "vX.Y.Z"', remedy: 'use e.g. "v0.59.0"' }),
  }),
  source: Type.Optional(
    Type.String({
      description:
        'Where the operator module is read from: a GOPROXY-style URL (default https://proxy.golang.org; the zip is checked against its go.sum digest and cached in ~/.cache/flux-bootstrap/operator), a module directory (e.g. from `go mod download`) or its zip.',
      minLength: 1,
      ...meta({ reason: 'must be a URL or a path', remedy: 'use e.g. "https://proxy.golang.org"' }),
    }),
  ),
  digest: Type.Optional(
    Type.String({
      description: 'The module\'s go.sum digest ("h1:..."); known for the releases this package was checked with.',
      pattern: '^h1:[A-Za-z0-9+/]{43}=$',
      ...meta({ reason: 'must be a go.sum digest "h1:<base64>"', remedy: 'copy it from go.sum or sum.golang.org' }),
    }),
  ),
};

export const OperatorSchema = Type.Object(OperatorProperties, {
  $id: 'OperatorOptions',
  description: 'The Flux Operator release OperatorInstall applies.',
  additionalProperties: false,
});

const Distribution = Type.Object(
  {
    version: Type.String({
      description:
        'Flux release or semver range the operator installs, e.g. "2.x", "2.9.x", ">=2.8.0 <3.0.0" or "2.9.3": the newest release the operator carries that matches. A preview names it.',
      minLength: 1,
      ...meta({ reason: 'must be a semver version or range', remedy: 'use e.g. "2.x" or "2.9.x"' }),
    }),
    registry: Type.Optional(
      Type.String({
        description: 'Registry the controller images are pulled from.',
        default: 'ghcr.io/fluxcd',
        pattern: REGISTRY,
        maxLength: 200,
        ...meta({ reason: 'must be a registry host[:port] followed by a lowercase repository path', remedy: 'use e.g. "ghcr.io/fluxcd"' }),
      }),
    ),
    variant: oneOf(
      ['upstream-alpine', 'enterprise-alpine', 'enterprise-distroless', 'enterprise-distroless-fips'] as const,
      'Distribution flavor stored in the registry (enterprise ones need a ControlPlane registry).',
    ),
    imagePullSecret: name('Secret in the namespace the controller images are pulled with.', 'flux-registry'),
    artifact: Type.Optional(
      Type.String({
        description:
          'oci:// URL of an artifact with newer release manifests than the operator carries (e.g. oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests:latest): the operator pulls it and resolves the range against it. A preview resolves against the operator module only.',
        pattern: '^oci://.+$',
        ...meta({
          reason: 'must be an oci:// URL',
          remedy: 'use e.g. "oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests:latest"',
        }),
      }),
    ),
  },
  { additionalProperties: false, description: 'Which Flux release, and from where.' },
);

const Cluster = Type.Object(
  {
    type: oneOf(['kubernetes', 'openshift', 'aws', 'azure', 'gcp'] as const, 'The distribution of the cluster. Default "kubernetes".'),
    multitenant: boolean('Multi-tenancy lockdown: the controllers impersonate a tenant service account. Default false.'),
    tenantDefaultServiceAccount: name('With multitenant: the service account used when a tenant object names none.', 'default'),
    networkPolicy: boolean('NetworkPolicies restricting the controllers to their namespace. Default true.'),
    domain: Type.Optional(
      Type.String({
        description: 'The cluster DNS domain. Default "cluster.local".',
        pattern: DNS1123_SUBDOMAIN,
        maxLength: 253,
        ...meta({ reason: 'must be a lowercase DNS domain without a trailing dot', remedy: 'use e.g. "cluster.local"' }),
      }),
    ),
    size: oneOf(['small', 'medium', 'large'] as const, "The controllers' vertical scaling profile (concurrency, CPU and memory)."),
    objectLevelWorkloadIdentity: boolean('Workload identity per object (Flux v2.6.0 or later).'),
  },
  { additionalProperties: false, description: 'The cluster Flux runs in.' },
);

const Sharding = Type.Object(
  {
    key: Type.Optional(Type.String({ description: 'Label key objects are sharded by. Default "sharding.fluxcd.io/key".', minLength: 1 })),
    shards: Type.Array(
      Type.String({
        pattern: DNS1123_LABEL,
        maxLength: 63,
        ...meta({ reason: 'must be a lowercase RFC 1123 label', remedy: 'use e.g. "shard1"' }),
      }),
      { minItems: 1, uniqueItems: true, description: 'Shard names: one set of controllers per shard.' },
    ),
    storage: oneOf(
      ['ephemeral', 'persistent'] as const,
      "The shards' source-controller storage. Default ephemeral; persistent needs storage.",
    ),
  },
  { additionalProperties: false, description: 'Horizontal sharding of the controllers.' },
);

const Storage = Type.Object(
  {
    class: Type.String({ minLength: 1, description: 'Storage class of the PersistentVolumeClaim.' }),
    size: Type.String({ minLength: 1, pattern: '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$', description: 'Size, e.g. "10Gi".' }),
  },
  { additionalProperties: false, description: "A persistent volume for source-controller's artifacts." },
);

export const SYNC_PROVIDERS = ['generic', 'aws', 'azure', 'gcp', 'github'] as const;
export const WORKLOAD_IDENTITY = ['aws', 'azure', 'gcp'] as const;

const Sync = Type.Object(
  {
    kind: stringEnum(['GitRepository', 'OCIRepository', 'Bucket'] as const, {
      description: 'The kind of source Flux syncs the cluster from.',
      ...meta({ reason: 'must be one of GitRepository, OCIRepository, Bucket', remedy: 'use e.g. "GitRepository"' }),
    }),
    url: Type.String({
      minLength: 1,
      description: 'Git URL (ssh://, https://), oci:// repository, or Bucket endpoint.',
      ...meta({ reason: 'must be a URL', remedy: 'use e.g. "ssh://git@github.com/acme/fleet"' }),
    }),
    ref: Type.String({
      minLength: 1,
      description: 'Git ref name (e.g. "refs/heads/main"), OCI tag (e.g. "latest") or bucket name.',
      ...meta({ reason: 'must not be empty', remedy: 'use e.g. "refs/heads/main"' }),
    }),
    path: Type.String({
      description: 'Directory in the source that the Kustomization reconciles, e.g. "clusters/prod".',
      pattern: RELATIVE_PATH,
      maxLength: 1024,
      ...meta({ reason: 'must be a relative path without ".." segments', remedy: 'use e.g. "clusters/prod"' }),
    }),
    pullSecret: name('Secret with the source credentials (made from `credentials` when given).', 'flux-system'),
    provider: oneOf(
      SYNC_PROVIDERS,
      'How Flux authenticates: "generic" (the pullSecret), "github" (a GitHub App in the pullSecret), or a cloud\'s workload identity: "aws", "azure", "gcp" (no Secret at all).',
    ),
    interval: Type.Optional(
      Type.String({
        description: 'How often the source is fetched, as a Go duration. Default "1m".',
        pattern: GO_DURATION,
        ...meta({ reason: 'must be a positive Go duration made of h, m, s and ms parts', remedy: 'use e.g. "1m"' }),
      }),
    ),
    name: Type.Optional(
      Type.String({
        description: 'Name of the source and Kustomization. Default the namespace.',
        pattern: DNS1123_LABEL,
        maxLength: 63,
        ...meta({ reason: 'must be a lowercase RFC 1123 label', remedy: 'use e.g. "flux-system"' }),
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'The source the cluster syncs from: a GitRepository, OCIRepository or Bucket and a Kustomization.',
  },
);

export const FluxInstanceProperties = {
  distribution: Distribution,
  components: Type.Optional(
    Type.Array(
      stringEnum(
        KNOWN_COMPONENTS,
        meta({ reason: `must be one of ${KNOWN_COMPONENTS.join(', ')}`, remedy: 'use only known component names' }),
      ),
      {
        uniqueItems: true,
        description:
          'Controllers to run. Default source-, kustomize-, helm- and notification-controller. Must include source-controller and kustomize-controller.',
      },
    ),
  ),
  cluster: Type.Optional(Cluster),
  sharding: Type.Optional(Sharding),
  storage: Type.Optional(Storage),
  kustomize: Type.Optional(
    Type.Object(
      {
        patches: Type.Optional(Type.Array(KustomizationPatch, { description: 'Strategic-merge or JSON6902 patches on the Flux objects.' })),
      },
      { additionalProperties: false, description: 'Patches the operator applies to what it installs.' },
    ),
  ),
  sync: Type.Optional(Sync),
};

export const FluxInstanceSchema = Type.Object(FluxInstanceProperties, {
  $id: 'FluxInstanceSpec',
  description: 'The spec of the FluxInstance the Flux Operator reconciles.',
  additionalProperties: false,
});

export type OperatorInput = Static<typeof OperatorSchema>;
export type FluxInstanceSpec = Static<typeof FluxInstanceSchema>;
