// Read for `pulumi import` and the `import` resource option, where only the id is known: the
// engine's import (provider/resources/import-inputs.ts) turns the id into the resource's
// inputs and observed state.
import { importByid } from '../resources/import-inputs';
import type { ProviderConfig } from './config';
import type { ResourceKind } from './resources';
import type { Props } from './values';

export async function importRead(
  kind: ResourceKind,
  id: string,
  config: ProviderConfig,
): Promise<{ id: string; props: Props; inputs: Props }> {
  return importByid(kind.name, id, {
    token: config.token,
    auth: config.gitAuth,
    cluster: config.cluster,
    distribution: config.distribution,
    distributionDigest: config.distributionDigest,
  });
}
