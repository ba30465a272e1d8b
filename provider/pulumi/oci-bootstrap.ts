// Bootstrap's gitless branch: with `url` oci://<registry>/<repository>:<tag> there is no
// repository and no deploy key; OciSyncManifests pushes the manifests to the registry and
// ControllerInstall installs an OCIRepository that pulls them, waiting for the pushed digest.
import * as pulumi from '@pulumi/pulumi';
import type { ClusterArgs, CredentialsArgs, DistributionArgs, WaitArgs } from './args';
import type { ControllerInstall } from './controller-install';
import type { OciSyncManifests, RegistryAuthArgs } from './oci-sync-manifests';

/** Bootstrap's `artifactRegistry`: how to push the artifact, and how Flux pulls it. */
export interface BootstrapRegistryArgs {
  /** push credentials (stored encrypted); absent for a registry that needs none */
  auth?: pulumi.Input<RegistryAuthArgs>;
  /** what Flux pulls with (the pull Secret): default `auth` (its username, password and caPem);
   *  give a read-only token here, or nothing with oci.anonymous */
  pull?: pulumi.Input<Pick<CredentialsArgs, 'username' | 'password' | 'caPem'>>;
}

export interface OciParts {
  OciSyncManifests: typeof OciSyncManifests;
  ControllerInstall: typeof ControllerInstall;
}

export interface OciWiring {
  artifact: OciSyncManifests;
  install: ControllerInstall;
}

export function wireOciBootstrap(
  name: string,
  parts: OciParts,
  parent: pulumi.Resource,
  a: {
    url: string;
    registry?: BootstrapRegistryArgs;
    cluster: pulumi.Input<ClusterArgs>;
    options: Record<string, unknown>;
    wait?: pulumi.Input<WaitArgs>;
    keepNamespace?: pulumi.Input<boolean>;
    adopt?: pulumi.Input<boolean>;
    force?: pulumi.Input<boolean>;
    deleteUnreachable?: pulumi.Input<boolean>;
  } & DistributionArgs,
): OciWiring {
  const child = { parent };
  const { registryCredentials, authorName: _a, authorEmail: _e, commitMessageAppendix: _m, ...fileOptions } = a.options;
  const artifact = new parts.OciSyncManifests(
    `${name}-artifact`,
    {
      ...fileOptions,
      url: a.url,
      auth: a.registry?.auth,
      distribution: a.distribution,
      distributionDigest: a.distributionDigest,
    } as unknown as ConstructorParameters<typeof OciSyncManifests>[1],
    child,
  );
  const credentials = a.registry?.pull ?? a.registry?.auth;
  const install = new parts.ControllerInstall(
    `${name}-install`,
    {
      ...fileOptions,
      registryCredentials,
      url: a.url,
      cluster: a.cluster,
      credentials,
      commit: artifact.digest,
      wait: a.wait,
      keepNamespace: a.keepNamespace,
      adopt: a.adopt,
      force: a.force,
      deleteUnreachable: a.deleteUnreachable,
      distribution: a.distribution,
      distributionDigest: a.distributionDigest,
    } as unknown as ConstructorParameters<typeof ControllerInstall>[1],
    { ...child, dependsOn: [artifact] },
  );
  return { artifact, install };
}
