// The validated option types, derived from the schemas (defaults applied, secrets wrapped).
import type { Static } from '@sinclair/typebox';
import type { Secret } from '../provider/secret';
import type { CommitSchema } from './commit';
import type { ComponentName } from './fields';
import type { InstallSchema } from './install';
import type { KustomizationOverride, KustomizationPatch, SyncSchema } from './sync';

type WithDefaults<T, Optional extends keyof T> = Required<Omit<T, Optional>> & Pick<T, Optional>;

export type InstallOptions = Omit<
  WithDefaults<Static<typeof InstallSchema>, 'registryCredentials'>,
  'registryCredentials' | 'components' | 'componentsExtra'
> & {
  components: ComponentName[];
  componentsExtra: ComponentName[];
  registryCredentials?: Secret<string>;
};
export type SyncOptions = WithDefaults<Static<typeof SyncSchema>, 'kustomization' | 'provider' | 'oci'>;
export type CommitOptions = Required<Static<typeof CommitSchema>>;
export type RenderOptions = InstallOptions & SyncOptions;
export type BootstrapOptions = RenderOptions & CommitOptions;
export type KustomizationOverrideOptions = Static<typeof KustomizationOverride>;
export type KustomizationPatchOptions = Static<typeof KustomizationPatch>;
export type { ComponentName } from './fields';
