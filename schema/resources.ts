// The resource-level inputs and outputs of the Pulumi resources (Repository, DeployKey,
// SyncManifests, ControllerInstall, ControllerPreinstall, Bootstrap) beyond the engine options: which host, which
// key, which cluster, how to wait. The Pulumi package schema (provider/plugin/schema.json) is
// generated from these and the option schemas; the resources check the values themselves.
import { Type, type TSchema } from '@sinclair/typebox';
import { ECDSA_CURVES, KEY_ALGORITHMS } from './deploy-key-checks';
import { VISIBILITIES } from './repository-checks';

const S = (description: string, extra: Record<string, unknown> = {}) => Type.Optional(Type.String({ description, ...extra }));
const B = (description: string) => Type.Optional(Type.Boolean({ description }));
const secret = { 'x-secret': true };
const argv = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

export const GitAuth = Type.Object(
  {
    privateKey: S('SSH private key (PEM or OpenSSH) with write access.', secret),
    passphrase: S('Passphrase of the private key.', secret),
    knownHosts: S('known_hosts lines of the Git server.'),
    username: S('HTTPS user name.'),
    password: S('HTTPS password or token.', secret),
    bearerToken: S('HTTPS bearer token.', secret),
    caPem: S('CA certificate (PEM) of an HTTPS server with a private CA.'),
  },
  { $id: 'GitAuth', description: 'How to push: an SSH key with known_hosts, or HTTPS credentials.' },
);

export const Cluster = Type.Object(
  {
    kubeconfig: S("kubeconfig content (e.g. a cluster resource's output).", secret),
    kubeconfigPath: S('Path of a kubeconfig file.'),
    context: S('Context of the kubeconfig to use (default its current context).'),
    host: S('API server URL, with caPem and token or a client certificate.'),
    caPem: S('CA certificate (PEM) of the API server.'),
    token: S('Bearer token.', secret),
    clientCertPem: S('Client certificate (PEM).'),
    clientKeyPem: S('Client key (PEM).', secret),
    insecure: B('Skip TLS verification (tests only).'),
    tlsServerName: S('Server name to verify the API server certificate against.'),
    proxyUrl: S('HTTP(S) proxy URL to reach the API server through.'),
  },
  { $id: 'Cluster', description: 'The cluster: kubeconfig content, a kubeconfig path and context, or inline connection fields.' },
);

export const Credentials = Type.Object(
  {
    privateKey: S('SSH private key Flux pulls with (the identity of the source Secret).', secret),
    publicKey: S('Its public key (identity.pub).'),
    knownHosts: S('known_hosts of the Git server.'),
    passphrase: S('Passphrase of the private key.', secret),
    username: S('HTTPS user name.'),
    password: S('HTTPS password or token.', secret),
    bearerToken: S('HTTPS bearer token.', secret),
    caPem: S('CA certificate (PEM) of the Git server.'),
  },
  { $id: 'Credentials', description: 'The credentials Flux pulls with: the data of the source Secret.' },
);

export const RegistryAuth = Type.Object(
  {
    username: S('Registry user name.'),
    password: S('Registry password or token.', secret),
    caPem: S('CA certificate (PEM) of a registry behind a private CA.'),
  },
  { $id: 'RegistryAuth', description: 'Credentials of an OCI registry (gitless bootstrap).' },
);

export const Wait = Type.Object(
  {
    reconciliation: B('Wait until the GitRepository and Kustomization are Ready at the pushed commit. Default true.'),
    deployments: B('Also wait for the controller Deployments to be available. Default true; false for clusters without nodes.'),
    timeoutSeconds: Type.Optional(Type.Number({ description: 'How long to wait, in seconds. Default 300.' })),
  },
  { $id: 'Wait', description: 'What ControllerInstall waits for after applying.' },
);

export const HostProperties = {
  host: Type.String({
    description: 'The Git host: "github", "gitlab", "gitea", or "git" for a plain Git server.',
    enum: ['github', 'gitlab', 'gitea', 'git'],
  }),
  owner: S('API hosts: the user, organization or group path, e.g. "acme" or "group/subgroup".'),
  name: S('API hosts: the repository name.'),
  url: S('Plain git (host "git"): the repository URL.'),
  token: S('API hosts: a personal access token (stored encrypted). Default: the provider setting `token`.', secret),
  apiUrl: S('API hosts: base URL of a self-hosted GitHub Enterprise, GitLab or Gitea.'),
  sshHost: S('ssh host[:port] when it differs from the web host.'),
  syncTransport: S('What Flux pulls over: "ssh" (default, with a deploy key) or "https" (with the token).', { enum: ['ssh', 'https'] }),
  addKeyCommand: argv('Plain git: argv that registers a deploy key (public key on stdin).'),
  removeKeyCommand: argv('Plain git: argv that removes a deploy key.'),
};

export const RepositoryProperties = {
  ...HostProperties,
  visibility: S('Visibility of a created repository: "private" (default, like flux bootstrap), "internal" or "public".', {
    enum: [...VISIBILITIES],
  }),
  defaultBranch: S('Branch of a newly created repository.'),
  description: S('Description of a newly created repository.'),
  create: B('Create the repository when it is missing. Default true; false: it must exist.'),
  forceDestroy: B('On destroy, delete a repository this resource created even when it has commits. Default false.'),
};

export const DeployKeyProperties = {
  ...HostProperties,
  title: S("Registered title. Default flux's `<namespace>-<branch>-<secretName>-<path>`."),
  readOnly: B('Register the key read-only. Default true: Flux only reads.'),
  algorithm: S('Generated key type: "ed25519" (default), "ecdsa" or "rsa".', { enum: [...KEY_ALGORITHMS] }),
  curve: S('ecdsa curve: "p256", "p384" (default) or "p521".', { enum: [...ECDSA_CURVES] }),
  bits: Type.Optional(Type.Integer({ description: 'rsa key size. Default 4096.' })),
  privateKey: S('Your own key instead of a generated one (PEM or OpenSSH; stored encrypted).', secret),
  passphrase: S('Passphrase of privateKey.', secret),
  knownHosts: S("The host's known_hosts. Default: scanned from the sync URL's host at create."),
  syncUrl: S("The URL Flux pulls from (default the host's ssh URL); its host is scanned for known_hosts."),
  rotation: S('Any new value (a date, a counter) replaces the key; the new one is registered first.'),
};

export const DistributionProperties = {
  distribution: S(
    'A directory or manifests.tar.gz of the Flux release, or a release URL. Default: the provider setting `distribution`, else the GitHub releases of fluxcd/flux2, downloaded once into ~/.cache/flux-bootstrap/manifests.',
  ),
  distributionDigest: S('"sha256:<hex>" the downloaded archive must have.'),
};

export const SyncManifestsProperties = {
  pushUrl: S('Where to push. Default `url`, the URL Flux pulls from.'),
  auth: Type.Optional(
    Type.Ref(GitAuth, { description: 'Push credentials (stored encrypted). Default: the provider setting `gitAuth`.', ...secret }),
  ),
  keepFilesOnDestroy: B('Leave the files in the repository on destroy. Default false: one commit removes them.'),
  adopt: B(
    'Take over Flux manifests already in the directory that this resource would write differently. Default false: creating over them fails and names the path.',
  ),
};

export const OciSyncManifestsProperties = {
  auth: Type.Optional(
    Type.Ref(RegistryAuth, {
      description: 'Push credentials of the registry (stored encrypted); absent for a registry that needs none.',
      ...secret,
    }),
  ),
};

export const ControllerInstallProperties = {
  cluster: Type.Optional(
    Type.Ref(Cluster, {
      description:
        'The cluster (stored encrypted); required, unless the provider setting `cluster` gives it. Unknown at preview is fine: nothing is touched then.',
      ...secret,
    }),
  ),
  credentials: Type.Optional(
    Type.Ref(Credentials, { description: "The source Secret's credentials (stored encrypted), e.g. a DeployKey's outputs.", ...secret }),
  ),
  commit: S('The commit Flux must have reconciled, e.g. SyncManifests.commit.'),
  wait: Type.Optional(Type.Ref(Wait, { description: 'What to wait for after applying.' })),
  keepNamespace: B('Keep the namespace (and the Secret in it) on destroy.'),
  adopt: B('Take over a Flux already installed by `flux bootstrap` or the Terraform provider.'),
  force: B('Take over even a Flux managed by Helm or the Flux Operator.'),
  deleteUnreachable: B(
    'Destroy succeeds when the API server cannot be reached (the cluster was deleted first). Default false: destroy fails and says why.',
  ),
  committedKustomization: S('SyncManifests.committedKustomization: the kustomization.yaml the user committed, applied with its patches.'),
  preinstalled: S(
    "A ControllerPreinstall's `preinstalled`: a Flux found at that `<API server>/<namespace>` is its work, not one to adopt.",
  ),
};

export const ControllerPreinstallProperties = {
  cluster: ControllerInstallProperties.cluster,
};

/** Outputs each resource computes, with what they mean. */
export const Outputs: Record<string, Record<string, TSchema>> = {
  Repository: {
    pushUrl: Type.String({ description: 'Where commits are pushed: https on API hosts, the url on plain git.' }),
    syncUrl: Type.String({ description: "What Flux pulls from, in flux's form (`ssh://git@host/owner/name`)." }),
    httpsUrl: Type.String({ description: "The repository's https URL." }),
    sshUrl: Type.String({ description: "The repository's ssh URL." }),
    created: Type.Boolean({ description: 'This resource created the repository (destroy deletes only such, and only empty).' }),
  },
  DeployKey: {
    publicKey: Type.String({ description: "`ssh-ed25519 AAAA...`, as Flux's identity.pub." }),
    fingerprint: Type.String({ description: '`SHA256:...`, as ssh-keygen -l prints it.' }),
    privateKey: Type.String({ description: 'The private key (secret).', ...secret }),
    knownHosts: Type.String({ description: 'known_hosts of the Git host.' }),
    keyId: Type.String({ description: "The host's id of the registered key." }),
    registeredTitle: Type.String({ description: 'The title the key is registered under (rotated keys carry the rotation value).' }),
    manual: Type.Boolean({ description: 'Nothing was registered: plain git without addKeyCommand.' }),
  },
  SyncManifests: {
    commit: Type.String({ description: 'The commit holding the files as desired (the last one this resource made or found).' }),
    headSha: Type.String({ description: 'The branch head when last observed.' }),
    files: Type.Record(Type.String(), Type.String(), { description: 'path -> git blob id of the files as observed in the repository.' }),
    desiredFiles: Type.Record(Type.String(), Type.String(), {
      description: 'path -> git blob id of the files as rendered from the inputs.',
    }),
    plan: Type.String({ description: 'What the last change did, one line per file (`... gotk-components.yaml +12 -12`).' }),
    version: Type.String({ description: 'The Flux release rendered.' }),
    directory: Type.String({ description: '`<path>/<namespace>`.' }),
    committedKustomization: Type.String({
      description:
        "The kustomization.yaml the user committed when the program does not manage it ('' when absent or the generated one): ControllerInstall applies its patches.",
    }),
  },
  OciSyncManifests: {
    digest: Type.String({ description: 'The manifest digest the tag points at when last observed.' }),
    pushedDigest: Type.String({ description: 'The manifest digest this resource last pushed; give it to ControllerInstall.commit.' }),
    layerDigest: Type.String({ description: 'Digest of the layer (the files): equal files, equal digest.' }),
    revision: Type.String({ description: '`<tag>@<digest>`, what Flux reports once it reconciled the artifact.' }),
    version: Type.String({ description: 'The Flux release rendered.' }),
    directory: Type.String({ description: '`<path>/<namespace>` inside the artifact.' }),
  },
  ControllerInstall: {
    version: Type.String({ description: 'The Flux release installed.' }),
    components: Type.Array(Type.String(), { description: 'The components installed.' }),
    objectsHash: Type.String({ description: 'Hash of the objects last applied.' }),
    inventory: Type.Array(Type.String(), { description: 'The objects applied, `Kind/namespace/name`.' }),
    revision: Type.String({ description: 'The revision Flux reconciled, `<branch>@sha1:<commit>`.' }),
    drift: Type.Array(Type.String(), {
      description: 'What the last refresh found out of line (missing or edited objects, a sync not Ready).',
    }),
    plan: Type.String({ description: 'What the last change applied, by object.' }),
  },
  ControllerPreinstall: {
    preinstalled: Type.String({
      description:
        "Where it applied the controllers of a first install, `<API server>/<namespace>`; '' when the namespace existed and it left them to ControllerInstall.",
    }),
  },
  Bootstrap: {
    repositoryUrl: Type.String({ description: "The repository's web (https) URL; the URL itself for plain git." }),
    commit: Type.String({ description: 'The commit holding the manifests.' }),
    publicKey: Type.String({ description: "The deploy key's public key ('' without one)." }),
    version: Type.String({ description: 'The Flux release installed.' }),
    components: Type.Array(Type.String(), { description: 'The components installed.' }),
  },
};

/** Bootstrap's own inputs besides the options; its repository takes Repository's inputs plus `push`. */
export const BootstrapRepository = Type.Object(
  {
    ...RepositoryProperties,
    push: Type.Optional(Type.Ref(GitAuth, { description: 'Plain git: how to push. API hosts push over https with the token.', ...secret })),
  },
  { $id: 'BootstrapRepository', description: "The repository: Repository's inputs, plus push credentials for plain git." },
);

export const BootstrapDeployKey = Type.Object(
  {
    title: DeployKeyProperties.title,
    readOnly: DeployKeyProperties.readOnly,
    algorithm: DeployKeyProperties.algorithm,
    curve: DeployKeyProperties.curve,
    bits: DeployKeyProperties.bits,
    privateKey: DeployKeyProperties.privateKey,
    passphrase: DeployKeyProperties.passphrase,
    knownHosts: DeployKeyProperties.knownHosts,
    rotation: DeployKeyProperties.rotation,
  },
  { $id: 'BootstrapDeployKey', description: 'The deploy key Flux pulls with.' },
);

export const BootstrapArtifactRegistry = Type.Object(
  {
    auth: Type.Optional(Type.Ref(RegistryAuth, { description: 'Push credentials (stored encrypted).', ...secret })),
    pull: Type.Optional(Type.Ref(RegistryAuth, { description: 'What Flux pulls with (the pull Secret). Default `auth`.', ...secret })),
  },
  {
    $id: 'BootstrapArtifactRegistry',
    description: 'Gitless bootstrap: how the manifests are pushed to the registry, and how Flux pulls them.',
  },
);

export const BootstrapProperties = {
  repository: Type.Optional(
    Type.Ref(BootstrapRepository, { description: 'The repository Flux syncs from; absent for a gitless bootstrap (url oci://...).' }),
  ),
  artifactRegistry: Type.Optional(
    Type.Ref(BootstrapArtifactRegistry, {
      description: "Gitless bootstrap (url oci://<registry>/<repository>:<tag>): the registry's push and pull credentials.",
    }),
  ),
  cluster: Type.Ref(Cluster, { description: "The cluster (stored encrypted), e.g. {kubeconfig: a cluster resource's output}.", ...secret }),
  url: S(
    "The URL Flux pulls from. Default the repository's (ssh with a deploy key, or https with the token). oci://<registry>/<repository>:<tag>: gitless, the manifests are pushed there as an OCI artifact.",
  ),
  deployKey: Type.Optional(Type.Ref(BootstrapDeployKey, { description: 'The deploy key (absent when Flux pulls over https).' })),
  wait: ControllerInstallProperties.wait,
  keepNamespace: ControllerInstallProperties.keepNamespace,
  adopt: B(
    'Take over a Flux installed by `flux bootstrap` or the Terraform provider: its objects in the namespace and its manifests in the repository.',
  ),
  force: ControllerInstallProperties.force,
  keepFilesOnDestroy: SyncManifestsProperties.keepFilesOnDestroy,
  deleteUnreachable: ControllerInstallProperties.deleteUnreachable,
};

export const ObjectTypes = [
  GitAuth,
  Cluster,
  Credentials,
  Wait,
  BootstrapRepository,
  BootstrapDeployKey,
  RegistryAuth,
  BootstrapArtifactRegistry,
];
