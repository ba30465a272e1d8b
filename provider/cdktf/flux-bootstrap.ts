// FluxBootstrap: `flux bootstrap` as one construct of CDK for Terraform or CDK Terrain. The
// engine renders the manifests at synth time (the same bytes the CLI commits), and standard
// providers' resources make them true: a deploy key, the repository and its files, and the
// cluster objects in Flux's apply stages. The plan Terraform shows is the diff; nothing here
// talks to a remote at synth. Every element is made from the library of the user's App.
import { Construct } from 'constructs';
import type { DesiredState } from '../desired-state';
import { InputErrors } from '../errors';
import { deployKeyTitle } from '../hosts/titles';
import { clusterSide } from './cluster';
import type { ClusterSide, KeyPair, RepositorySide } from './construct-parts';
import { deployKeyPair } from './deploy-key';
import { githubRepository } from './github';
import { gitlabRepository } from './gitlab';
import { libraryOf } from './library';
import type { FluxBootstrapProps, GitHubAppProps } from './props';
import { githubEndpoints } from '../hosts/urls';
import { text } from '../text';
import type { RepositoryInputs } from './repository-side';
import { aliasOf } from './alias';
import { render } from './render';
import type { StagedObject } from './stages';
import { checkProps, syncUrlOf } from './validate';

export class FluxBootstrap extends Construct {
  /** What the engine rendered: files, blob ids, objects, secret shape. */
  readonly desired: DesiredState;
  /** The cluster objects in apply order, with their stage. */
  readonly objects: StagedObject[];
  /** The URL Flux pulls from (written into gotk-sync.yaml). */
  readonly syncUrl: string;
  /** The repository's web URL (a Terraform reference). */
  readonly repositoryUrl: string;
  /** The deploy key's public key in authorized_keys form (a Terraform reference); '' with a GitHub App. */
  readonly publicKey: string;
  /** Repository paths of gotk-components.yaml, gotk-sync.yaml and kustomization.yaml. */
  readonly paths: string[];
  /** absent with a GitHub App */
  readonly key?: KeyPair;
  readonly repository: RepositorySide;
  readonly cluster: ClusterSide;

  constructor(scope: Construct, id: string, props: FluxBootstrapProps) {
    // everything that can fail on bad input happens before the construct joins the tree
    InputErrors.throwIfAny(checkProps(props));
    const cdk = libraryOf(scope);
    // a GitHub App: Flux's GitRepository authenticates as the App (provider: github)
    const app = props.repository.host === 'github' ? props.repository.auth : undefined;
    const rendered = render(app ? { ...props, provider: 'github' } : props, props.url ?? syncUrlOf(props.repository));
    super(scope, id);
    this.desired = rendered.desired;
    this.objects = rendered.objects;
    this.syncUrl = text(rendered.options.url);
    this.paths = Object.keys(this.desired.files);

    const shape = this.desired.secretShape.source;
    this.key = app ? undefined : deployKeyPair(cdk, this, props.deployKey);
    const branch = text(rendered.options.branch ?? 'main');
    const inputs: RepositoryInputs = {
      cdk,
      scope: this,
      alias: aliasOf(cdk, this),
      repo: props.repository,
      branch,
      files: Object.entries(this.desired.files),
      messages: Object.fromEntries(
        this.paths.map((p, i) => [p, i === 0 ? this.desired.commitMessages.components : this.desired.commitMessages.sync]),
      ),
      author: this.desired.commitAuthor,
      publicKey: this.key?.publicKey ?? '',
      readOnly: !(props.deployKey?.readWrite ?? false),
      title: props.deployKey?.title ?? deployKeyTitle({ namespace: shape.namespace, branch, secretName: shape.name, path: props.path }),
      knownHostsName: shape.knownHostsName ?? '',
    };
    this.repository =
      props.repository.host === 'gitlab'
        ? gitlabRepository({ ...inputs, repo: props.repository })
        : githubRepository({ ...inputs, repo: props.repository });
    this.repositoryUrl = this.repository.url;
    this.publicKey = this.key?.publicKey ?? '';

    const pullShape = this.desired.secretShape.imagePull;
    this.cluster = clusterSide({
      cdk,
      scope: this,
      alias: inputs.alias,
      cluster: props.cluster,
      apply: props.apply ?? {},
      objects: this.objects,
      source: {
        shape,
        data: app
          ? appSecretData(app, props.repository.baseUrl)
          : { identity: this.key!.privateKey, 'identity.pub': this.key!.publicKey, known_hosts: this.repository.knownHosts },
      },
      pull: pullShape && props.registryCredentials !== undefined ? { shape: pullShape, credentials: props.registryCredentials } : undefined,
      // the GitRepository should find its commit and be let in by the key on its first fetch
      syncAfter: [...this.repository.files, ...(this.repository.deployKey ? [this.repository.deployKey] : [])],
    });

    const { TerraformOutput } = cdk;
    new TerraformOutput(this, 'repository_url', { value: this.repositoryUrl, description: 'web URL of the repository Flux syncs' });
    new TerraformOutput(this, 'sync_url', { value: this.syncUrl, description: 'the URL Flux pulls from' });
    new TerraformOutput(this, 'public_key', { value: this.publicKey, description: 'the deploy key (authorized_keys form)' });
    new TerraformOutput(this, 'paths', { value: this.paths, description: 'the files committed for Flux' });
  }
}

/** Flux's Secret for `provider: github`; the base URL only for GitHub Enterprise. */
function appSecretData(app: GitHubAppProps, baseUrl: string | undefined): Record<string, string> {
  return {
    githubAppID: app.appId,
    githubAppInstallationID: app.installationId,
    githubAppPrivateKey: app.privateKey,
    ...(baseUrl ? { githubAppBaseURL: githubEndpoints(baseUrl).apiUrl } : {}),
  };
}
