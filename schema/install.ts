// Install options: what goes into gotk-components.yaml. Defaults are `flux bootstrap`'s.
import { Type, type Static } from '@sinclair/typebox';
import {
  COMPONENTS_DEFAULT,
  COMPONENTS_EXTRA,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  KNOWN_COMPONENTS,
  QUALIFIED_NAME,
  REGISTRY,
  RELEASE_VERSION,
  meta,
  stringEnum,
  openStringEnum,
} from './fields';

export const InstallProperties = {
  version: Type.String({
    description:
      'Flux release to install, e.g. "v2.9.3" (v2.5.0 or later). "latest" is accepted only when the ' +
      'manifests are downloaded from a release URL, which resolves it to a concrete tag.',
    pattern: RELEASE_VERSION,
    ...meta({ reason: 'must be a Flux release "vX.Y.Z" (v2.5.0 or later) or "latest"', remedy: 'use e.g. "v2.9.3"', flag: '--version' }),
  }),
  components: Type.Optional(
    Type.Array(
      stringEnum(KNOWN_COMPONENTS, {
        ...meta({ reason: `must be one of ${KNOWN_COMPONENTS.join(', ')}`, remedy: 'use only known component names' }),
      }),
      {
        description:
          'Toolkit components to install, in this order (the order is kept in the "# Components:" header). ' +
          'Must include source-controller and kustomize-controller.',
        default: [...COMPONENTS_DEFAULT],
        uniqueItems: true,
        ...meta({ reason: 'must be a list of component names', remedy: `use e.g. ${COMPONENTS_DEFAULT.join(',')}`, flag: '--components' }),
      },
    ),
  ),
  componentsExtra: Type.Optional(
    Type.Array(
      stringEnum(COMPONENTS_EXTRA, {
        ...meta({
          reason: `must be one of ${COMPONENTS_EXTRA.join(', ')}`,
          remedy: 'list the default controllers under components instead',
        }),
      }),
      {
        description: 'Optional components installed after `components`: image automation and source-watcher (v2.7.0+).',
        default: [],
        uniqueItems: true,
        ...meta({
          reason: 'must be a list of component names',
          remedy: `use e.g. ${COMPONENTS_EXTRA.slice(0, 2).join(',')}`,
          flag: '--components-extra',
        }),
      },
    ),
  ),
  namespace: Type.Optional(
    Type.String({
      description:
        'Namespace the controllers run in; also the name of the GitRepository and Kustomization. Must not read as a ' +
        'YAML number or boolean (e.g. "123", "yes"), since Flux writes it unquoted into its templates.',
      default: 'flux-system',
      pattern: DNS1123_LABEL,
      maxLength: 63,
      ...meta({ reason: "must be a lowercase RFC 1123 label (a-z, 0-9, '-')", remedy: 'use e.g. "flux-system"', flag: '--namespace' }),
    }),
  ),
  clusterDomain: Type.Optional(
    Type.String({
      description: "Internal cluster DNS domain, used in the controllers' --events-addr and --storage-adv-addr.",
      default: 'cluster.local',
      pattern: DNS1123_SUBDOMAIN,
      maxLength: 253,
      ...meta({
        reason: 'must be a lowercase DNS domain without a trailing dot',
        remedy: 'use e.g. "cluster.local"',
        flag: '--cluster-domain',
      }),
    }),
  ),
  networkPolicy: Type.Optional(
    Type.Boolean({
      description: 'Deny ingress to the controllers from other namespaces with NetworkPolicies.',
      default: true,
      ...meta({ reason: 'must be a boolean', remedy: 'use true or false', flag: '--network-policy' }),
    }),
  ),
  logLevel: Type.Optional(
    openStringEnum(['debug', 'info', 'error'], {
      description: 'Log verbosity of the controllers.',
      default: 'info',
      ...meta({ reason: 'must be one of debug, info, error', remedy: 'use e.g. "info"', flag: '--log-level' }),
    }),
  ),
  watchAllNamespaces: Type.Optional(
    Type.Boolean({
      description: 'Watch custom resources in all namespaces; false restricts the controllers to their own namespace.',
      default: true,
      ...meta({ reason: 'must be a boolean', remedy: 'use true or false', flag: '--watch-all-namespaces' }),
    }),
  ),
  registry: Type.Optional(
    Type.String({
      description:
        'Container registry and path the controller images are pulled from: each image becomes ' +
        "<registry>/<component>. An empty string keeps the manifests' own images (docker.io/fluxcd/...).",
      default: 'ghcr.io/fluxcd',
      pattern: REGISTRY,
      maxLength: 200,
      ...meta({
        reason: 'must be a registry host[:port] followed by a lowercase repository path',
        remedy: 'use e.g. "ghcr.io/fluxcd" or "registry.example.com:5000/fluxcd"',
        flag: '--registry',
      }),
    }),
  ),
  imagePullSecret: Type.Optional(
    Type.String({
      description:
        'Name of a Secret in the namespace used to pull the controller images; empty for none. Must not read as a YAML number or boolean.',
      default: '',
      pattern: `^$|${DNS1123_SUBDOMAIN}`,
      maxLength: 253,
      ...meta({
        reason: "must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.')",
        remedy: 'use e.g. "flux-registry"',
        flag: '--image-pull-secret',
      }),
    }),
  ),
  registryCredentials: Type.Optional(
    Type.String({
      description:
        'Registry credentials "user:password" for the image pull secret (requires imagePullSecret). Sensitive: ' +
        'pass a Secret; it is never written to Git and never printed.',
      pattern: '^[^:]+:[^:]+$',
      ...meta({
        reason: 'must be "user:password" with exactly one \':\' and both parts non-empty',
        remedy: 'pass the credentials as "user:password"',
        flag: '--registry-creds',
        secret: true,
      }),
    }),
  ),
  tolerationKeys: Type.Optional(
    Type.Array(
      Type.String({
        pattern: QUALIFIED_NAME,
        maxLength: 317,
        ...meta({ reason: 'must be a Kubernetes taint key ([prefix/]name)', remedy: 'use e.g. "node-role.kubernetes.io/control-plane"' }),
      }),
      {
        description: 'Taint keys the controller pods tolerate (operator Exists).',
        default: [],
        uniqueItems: true,
        ...meta({ reason: 'must be a list of taint keys', remedy: 'use e.g. ["dedicated"]', flag: '--toleration-keys' }),
      },
    ),
  ),
};

export const InstallSchema = Type.Object(InstallProperties, {
  $id: 'InstallOptions',
  description: 'How Flux is installed: the inputs of gotk-components.yaml.',
  additionalProperties: false,
});

/** Raw input type (defaults not yet applied). */
export type InstallInput = Static<typeof InstallSchema>;
