// Bootstrap: `flux bootstrap` as one component. Repository -> DeployKey -> SyncManifests ->
// ControllerInstall, with ControllerPreinstall applying the controllers of a first install
// beside SyncManifests, wired with Flux's defaults. Static inputs are validated before anything is
// built, so a bad value fails at construction with the same message the CLI would print.
import * as pulumi from '@pulumi/pulumi';
import { InputError, InputErrors } from '../errors';
import { deployKeyTitle } from '../hosts/titles';
import type { ClusterArgs, CommitArgs, DistributionArgs, GitAuthArgs, InstallArgs, SyncArgs, WaitArgs } from './args';
import { ControllerInstall } from './controller-install';
import { ControllerPreinstall } from './controller-preinstall';
import { DeployKey, type DeployKeyArgs } from './deploy-key';
import { checkKeyInputs } from '../resources/deploy-key';
import { checkOptions, COMMIT_FIELDS, INSTALL_FIELDS, pickOptions, SYNC_FIELDS } from '../resources/engine-options';
import { checkHostInputs } from '../resources/host-inputs';
import { UNKNOWN } from '../resources/common';
import { staticView } from './static-view';
import { Repository, type RepositoryArgs } from './repository';
import { SyncManifests } from './sync-manifests';
import { githubAppWiring } from './github-app-wiring';
import { OciSyncManifests } from './oci-sync-manifests';
import { wireOciBootstrap, type BootstrapRegistryArgs } from './oci-bootstrap';
import { isOciUrl } from '../../schema/oci-url';
import type { FluxInstanceInput } from '../../schema/input-types';
import { FluxInstance } from './flux-instance';
import { InstanceManifests } from './instance-manifests';
import { OperatorInstall } from './operator-install';
import { checkOperatorFlavor, wireOperatorBootstrap, type BootstrapOperatorArgs } from './operator-bootstrap';
import { visibilityProblem } from '../../schema/repository-checks';

export interface BootstrapRepositoryArgs extends RepositoryArgs {
  /** plain git: how to push (an ssh key with write access and known_hosts, or https credentials).
   *  API hosts push over https with the token. */
  push?: pulumi.Input<GitAuthArgs>;
}

export type BootstrapDeployKeyArgs = Pick<
  DeployKeyArgs,
  'algorithm' | 'curve' | 'bits' | 'privateKey' | 'passphrase' | 'readOnly' | 'rotation' | 'knownHosts' | 'title'
>;

export interface BootstrapArgs extends Omit<InstallArgs, 'version'>, Omit<SyncArgs, 'url'>, Partial<CommitArgs>, DistributionArgs {
  /** Flux release, e.g. "v2.9.3" */
  version: pulumi.Input<string>;
  /** the Git repository; absent for a gitless bootstrap (url oci://..., with `artifactRegistry`) */
  repository?: BootstrapRepositoryArgs;
  /** gitless bootstrap (url oci://<registry>/<repository>:<tag>): push and pull credentials of the registry */
  artifactRegistry?: BootstrapRegistryArgs;
  /** the cluster: {kubeconfig} content (e.g. a cluster resource's output), {kubeconfigPath, context} or inline */
  cluster: pulumi.Input<ClusterArgs>;
  /** the URL Flux pulls from; default the repository's (ssh with a deploy key, or https with the token).
   *  oci://<registry>/<repository>:<tag>: gitless, the manifests are pushed there as an OCI artifact */
  url?: pulumi.Input<string>;
  deployKey?: BootstrapDeployKeyArgs;
  wait?: pulumi.Input<WaitArgs>;
  keepNamespace?: pulumi.Input<boolean>;
  /** take over a Flux installed by `flux bootstrap` or the Terraform provider: its objects in the
   *  namespace and its manifests in the repository (default false: both are refused, named) */
  adopt?: pulumi.Input<boolean>;
  force?: pulumi.Input<boolean>;
  keepFilesOnDestroy?: pulumi.Input<boolean>;
  /** destroy succeeds when the cluster cannot be reached any more (deleted first) */
  deleteUnreachable?: pulumi.Input<boolean>;
  /** "classic" (default): what `flux bootstrap` does. "operator": the Flux Operator and a
   *  FluxInstance (`version` is then its release or range, e.g. "2.x"), its manifest committed;
   *  with adopt, the move from a classic bootstrap (operator-bootstrap.ts) */
  flavor?: 'classic' | 'operator';
  /** flavor "operator": the FluxInstance spec; its sync defaults to the repository, branch and path */
  instance?: pulumi.Input<FluxInstanceInput>;
  /** flavor "operator": the operator release to install */
  operator?: BootstrapOperatorArgs;
}

/** Every problem of the inputs known at construction; Outputs are checked later, by the resources. */
export function checkBootstrapArgs(args: BootstrapArgs): InputError[] {
  const view = staticView(args) as Record<string, unknown>;
  const options = pickOptions({ ...view, url: view.url ?? UNKNOWN_URL }, [...INSTALL_FIELDS, ...SYNC_FIELDS, ...COMMIT_FIELDS]);
  const repo = (view.repository ?? {}) as Record<string, unknown>;
  // the operator flavor's version is the FluxInstance's release or range, not a classic "vX.Y.Z"
  const operatorFlavor = view.flavor === 'operator';
  if (isOciUrl(view.url) && !operatorFlavor) return checkOciBootstrapArgs(view, options);
  if (view.url === UNKNOWN && view.repository === undefined && view.artifactRegistry !== undefined) {
    return [
      new InputError({
        field: 'url',
        value: undefined,
        reason: 'is not known at construction, but a gitless bootstrap (artifactRegistry) decides there that no repository is made',
        remedy: 'pass the oci://<registry>/<repository>:<tag> url as a plain string, not an Output',
      }),
    ];
  }
  // the Repository resource's rule, judged here already when the value is known
  const visibility = repo.visibility === undefined || repo.visibility === UNKNOWN ? undefined : visibilityProblem(repo.visibility);
  const errors = [
    ...checkOptions(operatorFlavor ? { ...options, version: UNKNOWN } : options),
    ...(operatorFlavor ? checkOperatorFlavor(view) : []),
    ...checkHostInputs(repo).map((e) => prefixed(e, 'repository.')),
    ...(visibility ? [prefixed(visibility, 'repository.')] : []),
    ...checkKeyInputs((view.deployKey ?? {}) as Record<string, unknown>).map((e) => prefixed(e, 'deployKey.')),
  ];
  if (view.cluster === undefined) errors.push(missing('cluster', 'give {kubeconfig} (content), {kubeconfigPath} or {host, caPem, token}'));
  if (repo.host === 'git' && repo.push === undefined)
    errors.push(missing('repository.push', 'give {privateKey, knownHosts} of a key that may push, or {username, password}'));
  return errors;
}

/** Gitless: no repository or deploy key; the url and options are checked as the resources will. */
function checkOciBootstrapArgs(view: Record<string, unknown>, options: Record<string, unknown>): InputError[] {
  const errors = checkOptions(options);
  for (const f of ['repository', 'deployKey', 'keepFilesOnDestroy']) {
    if (view[f] !== undefined)
      errors.push(
        new InputError({
          field: f,
          value: view[f],
          secret: true,
          reason: 'is a Git setting, but url is oci:// (gitless: the manifests go to the registry)',
          remedy: `remove ${f}, or give a Git url`,
        }),
      );
  }
  if (view.cluster === undefined) errors.push(missing('cluster', 'give {kubeconfig} (content), {kubeconfigPath} or {host, caPem, token}'));
  return errors;
}

// Stands for a URL the repository resource computes: the check skips it like any unknown.
const UNKNOWN_URL = UNKNOWN;

function prefixed(e: InputError, prefix: string): InputError {
  return new InputError({ field: prefix + e.field, value: e.value, reason: e.reason, remedy: e.remedy, secret: e.secret });
}

function missing(field: string, remedy: string): InputError {
  return new InputError({ field, value: undefined, reason: 'a value is required', remedy });
}

/** The resource classes a Bootstrap is made of: the dynamic ones, or the provider plugin's
 *  package resources when it constructs a Bootstrap for another language (a subclass). */
export interface BootstrapParts {
  Repository: typeof Repository;
  DeployKey: typeof DeployKey;
  SyncManifests: typeof SyncManifests;
  ControllerInstall: typeof ControllerInstall;
  OciSyncManifests: typeof OciSyncManifests;
  ControllerPreinstall: typeof ControllerPreinstall;
  OperatorInstall: typeof OperatorInstall;
  FluxInstance: typeof FluxInstance;
  InstanceManifests: typeof InstanceManifests;
}

export class Bootstrap extends pulumi.ComponentResource {
  static readonly parts: BootstrapParts = {
    Repository,
    DeployKey,
    SyncManifests,
    ControllerInstall,
    OciSyncManifests,
    ControllerPreinstall,
    OperatorInstall,
    FluxInstance,
    InstanceManifests,
  };
  /** flavor "operator": the Flux Operator, the committed FluxInstance manifest and the FluxInstance */
  readonly operatorInstall?: OperatorInstall;
  readonly instanceManifests?: InstanceManifests;
  readonly fluxInstance?: FluxInstance;
  /** the Git repository. Not made in a gitless bootstrap (url oci://...): undefined there, typed
   *  as always present so that programs written for Git keep compiling */
  readonly repository!: Repository;
  /** absent when Flux pulls over https */
  readonly deployKey?: DeployKey;
  /** the committed files. Not made in a gitless bootstrap (undefined there): see `artifact` */
  readonly manifests!: SyncManifests;
  /** gitless bootstrap only: the OCI artifact with the manifests */
  readonly artifact?: OciSyncManifests;
  /** the classic install; undefined in the operator flavor (see fluxInstance) */
  readonly install!: ControllerInstall;
  /** applies the controllers of a first install while the commit is pushed. Not made in a
   *  gitless bootstrap (undefined there) */
  readonly preinstall!: ControllerPreinstall;

  /** the repository's web (https) URL; the URL itself for plain git */
  readonly repositoryUrl: pulumi.Output<string>;
  /** the commit holding the manifests (gitless: the artifact's manifest digest) */
  readonly commit: pulumi.Output<string>;
  /** the deploy key's public key ('' without one) */
  readonly publicKey: pulumi.Output<string>;
  readonly version: pulumi.Output<string>;
  readonly components: pulumi.Output<string[]>;

  constructor(name: string, args: BootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
    InputErrors.throwIfAny(checkBootstrapArgs(args));
    super('flux-bootstrap:index:Bootstrap', name, {}, opts);
    const {
      repository: givenRepository,
      artifactRegistry,
      cluster,
      url,
      deployKey,
      wait,
      keepNamespace,
      adopt,
      force,
      keepFilesOnDestroy,
      deleteUnreachable,
      distribution,
      distributionDigest,
      flavor,
      instance: _instance,
      operator: _operator,
      ...options
    } = args;
    const child = { parent: this };
    const parts = new.target.parts;
    if (isOciUrl(url)) {
      const oci = wireOciBootstrap(name, parts, this, {
        url: url as string,
        registry: artifactRegistry,
        cluster,
        options,
        wait,
        keepNamespace,
        adopt,
        force,
        deleteUnreachable,
        distribution,
        distributionDigest,
      });
      this.artifact = oci.artifact;
      this.install = oci.install;
      this.repositoryUrl = pulumi.output(url as string);
      this.commit = oci.artifact.digest;
      this.publicKey = pulumi.output('');
      this.version = this.install.version;
      this.components = this.install.components;
      this.registerOutputs({
        repositoryUrl: this.repositoryUrl,
        commit: this.commit,
        publicKey: this.publicKey,
        version: this.version,
        components: this.components,
      });
      return;
    }
    const repository = givenRepository as BootstrapRepositoryArgs;
    const { push, ...repoArgs } = repository;

    const repo = new parts.Repository(`${name}-repository`, repoArgs, child);
    this.repository = repo;
    const syncUrl = pulumi.output(url ?? repo.syncUrl);
    const apiHost = repository.host !== 'git';
    // a GitHub App: pushes and Flux both use installation tokens over https, no deploy key
    const app = repository.auth !== undefined ? githubAppWiring(repository) : undefined;
    if (app) options.provider = 'github';
    const hostArgs = {
      host: repository.host,
      owner: repository.owner,
      name: repository.name,
      url: repository.url,
      token: repository.token,
      apiUrl: repository.apiUrl,
      sshHost: repository.sshHost,
      addKeyCommand: repository.addKeyCommand,
      removeKeyCommand: repository.removeKeyCommand,
    };
    const httpsCreds = apiHost ? { username: 'git', password: repository.token } : push;

    // registry credentials belong in the cluster's pull Secret only: the files never need them
    const { registryCredentials, ...fileOptions } = options;
    const manifests =
      flavor === 'operator'
        ? undefined
        : new parts.SyncManifests(
            `${name}-manifests`,
            {
              ...fileOptions,
              url: syncUrl,
              pushUrl: repo.pushUrl,
              auth: app ? app.push : apiHost ? httpsCreds : push,
              distribution,
              distributionDigest,
              keepFilesOnDestroy,
              adopt,
            },
            { ...child, dependsOn: [repo] },
          );
    if (manifests) this.manifests = manifests;
    // Flux pulls over ssh with a deploy key, unless told to use https (then with the token or push credentials)
    if (!app && repository.syncTransport !== 'https' && !(typeof url === 'string' && !url.startsWith('ssh://'))) {
      const title = pulumi.all([options.namespace, options.branch, options.secretName, options.path]).apply(([ns, branch, secret, path]) =>
        deployKeyTitle({
          namespace: ns ?? 'flux-system',
          branch: branch ?? 'main',
          secretName: secret ?? 'flux-system',
          path: path ?? '',
        }),
      );
      this.deployKey = new parts.DeployKey(
        `${name}-deploy-key`,
        { ...hostArgs, title, syncUrl, ...deployKey },
        // after the files: a path that another stack owns fails there, before a key of the same
        // title (that stack's key) is replaced; flux bootstrap, too, reconciles the key after them
        { ...child, dependsOn: manifests ? [repo, manifests] : [repo] },
      );
    }
    const key = this.deployKey;
    const credentials = key
      ? { privateKey: key.privateKey, publicKey: key.publicKey, knownHosts: key.knownHosts, passphrase: deployKey?.passphrase }
      : app
        ? app.credentials
        : httpsCreds;
    // the operator flavor, which made no SyncManifests: its files are the InstanceManifests
    if (!manifests) {
      const links = { syncUrl, pushUrl: repo.pushUrl, push: app ? app.push : apiHost ? httpsCreds : push, credentials, githubApp: !!app };
      const w = wireOperatorBootstrap(name, this, parts, key ? [repo, key] : [repo], args, links);
      this.operatorInstall = w.operator;
      this.instanceManifests = w.manifests;
      this.fluxInstance = w.instance;
      this.repositoryUrl = repo.httpsUrl;
      this.commit = w.manifests.commit;
      this.publicKey = key ? key.publicKey : pulumi.output('');
      this.version = w.instance.version;
      this.components = w.components;
      this.registerOutputs({ ...w.outputs, repositoryUrl: this.repositoryUrl, publicKey: this.publicKey });
      return;
    }

    const { authorName: _a, authorEmail: _e, commitMessageAppendix: _m, ...installOptions } = { ...fileOptions, registryCredentials };
    // the controllers do not depend on the commit: on a first install they go in while it is pushed
    this.preinstall = new parts.ControllerPreinstall(
      `${name}-preinstall`,
      {
        ...installOptions,
        url: syncUrl,
        cluster,
        distribution,
        distributionDigest,
      },
      child,
    );
    this.install = new parts.ControllerInstall(
      `${name}-install`,
      {
        ...installOptions,
        url: syncUrl,
        cluster,
        credentials,
        commit: manifests.commit,
        committedKustomization: manifests.committedKustomization,
        wait,
        keepNamespace,
        adopt,
        force,
        deleteUnreachable,
        distribution,
        distributionDigest,
        preinstalled: this.preinstall.preinstalled,
      },
      { ...child, dependsOn: key ? [manifests, key, this.preinstall] : [manifests, this.preinstall] },
    );

    this.repositoryUrl = repo.httpsUrl;
    this.commit = manifests.commit;
    this.publicKey = key ? key.publicKey : pulumi.output('');
    this.version = this.install.version;
    this.components = this.install.components;
    this.registerOutputs({
      repositoryUrl: this.repositoryUrl,
      commit: this.commit,
      publicKey: this.publicKey,
      version: this.version,
      components: this.components,
    });
  }
}
