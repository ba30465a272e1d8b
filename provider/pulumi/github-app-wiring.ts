// Bootstrap with repository.auth (a GitHub App): what SyncManifests pushes with and what
// ControllerInstall writes into Flux's source Secret, both from the same three values.
import * as pulumi from '@pulumi/pulumi';
import { githubEndpoints } from '../hosts/urls';
import type { CredentialsArgs, GitAuthArgs } from './args';
import type { RepositoryArgs } from './repository';

export function githubAppWiring(repository: Pick<RepositoryArgs, 'auth' | 'apiUrl'>): {
  push: pulumi.Output<GitAuthArgs>;
  credentials: pulumi.Output<CredentialsArgs>;
} {
  const both = pulumi.output({ auth: repository.auth!, apiUrl: repository.apiUrl });
  const push = both.apply(({ auth, apiUrl }) => ({ githubApp: { ...auth, ...(apiUrl ? { apiUrl } : {}) } }));
  const credentials = both.apply(({ auth, apiUrl }) => ({
    githubAppId: String(auth.appId),
    githubAppInstallationId: String(auth.installationId),
    githubAppPrivateKey: auth.privateKey,
    // github.com is Flux's default; Enterprise needs its API base (https://HOST/api/v3)
    ...(apiUrl ? { githubAppBaseUrl: githubEndpoints(apiUrl).apiUrl } : {}),
    ...(auth.caPem ? { caPem: auth.caPem } : {}),
  }));
  return { push, credentials };
}
