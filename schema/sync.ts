// Sync options: what goes into gotk-sync.yaml and kustomization.yaml. Defaults are `flux bootstrap`'s.
import { Type, type Static } from '@sinclair/typebox';
import { DNS1123_SUBDOMAIN, GO_DURATION, RELATIVE_PATH, meta } from './fields';
import { OciSettingsSchema } from './oci';

const PatchTarget = Type.Object(
  {
    group: Type.Optional(Type.String({ description: 'API group of the objects to patch, e.g. "apps".' })),
    version: Type.Optional(Type.String({ description: 'API version of the objects to patch, e.g. "v1".' })),
    kind: Type.Optional(Type.String({ description: 'Kind of the objects to patch, e.g. "Deployment".' })),
    name: Type.Optional(Type.String({ description: 'Name (or regular expression) of the objects to patch.' })),
    namespace: Type.Optional(Type.String({ description: 'Namespace of the objects to patch.' })),
    labelSelector: Type.Optional(Type.String({ description: 'Label selector of the objects to patch.' })),
    annotationSelector: Type.Optional(Type.String({ description: 'Annotation selector of the objects to patch.' })),
  },
  { additionalProperties: false, description: 'Which objects a patch applies to (kustomize `patches[].target`).' },
);

export const KustomizationPatch = Type.Object(
  {
    patch: Type.String({
      minLength: 1,
      description: 'A strategic-merge or JSON6902 patch, as YAML text.',
      ...meta({ reason: 'must be a non-empty patch', remedy: 'give the patch YAML text' }),
    }),
    target: Type.Optional(PatchTarget),
  },
  { additionalProperties: false },
);

export const KustomizationOverride = Type.Object(
  {
    patches: Type.Optional(
      Type.Array(KustomizationPatch, {
        description: 'Patches added to the generated kustomization.yaml, the way Flux documents customising itself.',
      }),
    ),
    content: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'The full kustomization.yaml to commit instead of the generated one. It must still list ' +
          'gotk-components.yaml and gotk-sync.yaml so that Flux keeps reconciling itself.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Your customisations of <path>/<namespace>/kustomization.yaml: either patches, or the whole file. ' +
      '`flux bootstrap` writes this file only when it is absent; declaring it here keeps it under management.',
    ...meta({ reason: 'must set either patches or content, not both', remedy: 'keep one of patches and content' }),
  },
);

export const SyncProperties = {
  url: Type.String({
    description:
      'Git URL Flux pulls from: ssh://, https:// or http://, without credentials. Or, for a gitless bootstrap, ' +
      'oci://<registry>/<repository>:<tag>: Flux pulls the manifests from that OCI artifact (OciSyncManifests pushes it).',
    ...meta({
      reason: 'must be an ssh://, https:// or http:// Git URL with a host and no password',
      remedy: 'use e.g. "ssh://git@github.com/org/repo" (scp-style "git@host:org/repo" is not accepted by Flux)',
      flag: '--url',
    }),
  }),
  branch: Type.Optional(
    Type.String({
      description: 'Git branch the GitRepository follows and the manifests are committed to.',
      default: 'main',
      minLength: 1,
      maxLength: 255,
      ...meta({
        reason:
          'must be a valid Git branch name (no spaces, control characters, "..", "~", "^", ":", "?", "*", "[", "\\", "@{"; ' +
          'not starting with "-" or "/"; not ending with "/", "." or ".lock")',
        remedy: 'use e.g. "main"',
        flag: '--branch',
      }),
    }),
  ),
  path: Type.Optional(
    Type.String({
      description:
        'Directory in the repository, relative to its root, that the Kustomization reconciles; the manifests go to ' +
        '<path>/<namespace>/. Empty for the repository root.',
      default: '',
      pattern: RELATIVE_PATH,
      maxLength: 1024,
      ...meta({
        reason: 'must be a relative path inside the repository without ".." segments',
        remedy: 'use e.g. "clusters/production"',
        flag: '--path',
      }),
    }),
  ),
  interval: Type.Optional(
    Type.String({
      description: 'How often the GitRepository polls, as a Go duration (e.g. "1m0s", "90s", "1h"). Written normalised, like Go does.',
      default: '1m0s',
      pattern: GO_DURATION,
      ...meta({
        reason: 'must be a positive Go duration made of h, m, s and ms parts',
        remedy: 'use e.g. "1m0s" or "90s"',
        flag: '--interval',
      }),
    }),
  ),
  secretName: Type.Optional(
    Type.String({
      description: 'Name of the Secret holding the Git credentials, referenced by the GitRepository.',
      default: 'flux-system',
      pattern: DNS1123_SUBDOMAIN,
      maxLength: 253,
      ...meta({
        reason: "must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.')",
        remedy: 'use e.g. "flux-system"',
        flag: '--secret-name',
      }),
    }),
  ),
  recurseSubmodules: Type.Optional(
    Type.Boolean({
      description: 'Clone Git submodules too.',
      default: false,
      ...meta({ reason: 'must be a boolean', remedy: 'use true or false', flag: '--recurse-submodules' }),
    }),
  ),
  provider: Type.Optional(
    Type.Unsafe<'generic' | 'github' | 'aws' | 'azure' | 'gcp'>({
      type: 'string',
      enum: ['generic', 'github', 'aws', 'azure', 'gcp'],
      description:
        'How the source authenticates: "generic" (the Secret\'s key or password) or "github" (the Secret holds ' +
        'GitHub App credentials: githubAppID, githubAppInstallationID, githubAppPrivateKey; Flux v2.5.0 or later). ' +
        'Written to gotk-sync.yaml only when "github". With an oci:// url (gitless): "aws", "azure" or "gcp", the ' +
        "cloud's workload identity: the OCIRepository gets that provider and no Secret is made.",
      ...meta({
        reason: 'must be "generic", "github", "aws", "azure" or "gcp"',
        remedy: 'use "github" for GitHub App authentication, or leave it out',
        flag: '--provider',
      }),
    }),
  ),
  kustomization: Type.Optional(KustomizationOverride),
  oci: Type.Optional(OciSettingsSchema),
};

export const SyncSchema = Type.Object(SyncProperties, {
  $id: 'SyncOptions',
  description: 'What Flux syncs from: the inputs of gotk-sync.yaml and kustomization.yaml.',
  additionalProperties: false,
});

export type SyncInput = Static<typeof SyncSchema>;
