// FluxCluster: only the cluster side of `flux bootstrap`, for a repository whose files are
// committed by something else (another stack, CI, `flux-bootstrap render`): the objects in
// Flux's apply stages and the Git credentials Secret. FluxBootstrap builds the same resources.
// With an oci:// url (gitless), an OCIRepository and the registry pull Secret instead.
import { Construct } from 'constructs';
import type { DesiredState } from '../desired-state';
import { InputErrors } from '../errors';
import { aliasOf } from './alias';
import { libraryOf } from './library';
import { clusterSide } from './cluster';
import type { ClusterSide } from './construct-parts';
import { ociSourceData, sshData } from './source-secret';
import type { FluxClusterProps, RegistryCredentialsProps, SshCredentialsProps } from './props';
import { render } from './render';
import type { StagedObject } from './stages';
import { checkClusterProps } from './validate';

export class FluxCluster extends Construct {
  readonly desired: DesiredState;
  readonly objects: StagedObject[];
  readonly resources: ClusterSide;

  constructor(scope: Construct, id: string, props: FluxClusterProps) {
    InputErrors.throwIfAny(checkClusterProps(props));
    const cdk = libraryOf(scope);
    const rendered = render(props, props.url);
    super(scope, id);
    this.desired = rendered.desired;
    this.objects = rendered.objects;
    const shape = this.desired.secretShape.source;
    const pull = this.desired.secretShape.imagePull;
    this.resources = clusterSide({
      cdk,
      scope: this,
      alias: aliasOf(cdk, this),
      cluster: props.cluster,
      apply: props.apply ?? {},
      objects: this.objects,
      namespace: shape.namespace,
      source:
        this.desired.sourceKind === 'oci'
          ? ociSourceData(cdk, shape, (props.credentials ?? {}) as RegistryCredentialsProps)
          : { shape, data: sshData(props.credentials as SshCredentialsProps) },
      pull: pull && props.registryCredentials !== undefined ? { shape: pull, credentials: props.registryCredentials } : undefined,
      syncAfter: props.syncDependsOn ?? [],
    });
  }
}
