// ControllerInstall's gitless side (a sync url oci://<registry>/<repository>:<tag>): the pull
// Secret's credentials it needs, and what the wait expects Flux to report.
import { splitOciUrl } from '../../schema/oci-url';
import type { DesiredState } from '../desired-state';
import { InputError } from '../errors';
import type { CredentialsInputs } from './install-state';

/** The credentials the OCI source Secret needs and lacks: a registry user (unless anonymous),
 *  the CA (with oci.privateCa). */
export function ociCredentialProblems(d: DesiredState, creds: CredentialsInputs | undefined): InputError[] {
  const keys = d.secretShape.source.keys;
  const errors: InputError[] = [];
  if (keys.includes('.dockerconfigjson') && (creds?.username === undefined || creds.password === undefined)) {
    errors.push(
      new InputError({
        field: 'credentials',
        value: undefined,
        secret: true,
        reason: `needs username and password of a registry user that may pull from ${d.secretShape.source.registry}: they go into the pull Secret ${d.secretShape.source.name}`,
        remedy: 'give {username, password} (a token goes in password), or set oci.anonymous: true for a public artifact',
      }),
    );
  }
  if (keys.includes('ca.crt') && creds?.caPem === undefined) {
    errors.push(
      new InputError({
        field: 'credentials.caPem',
        value: undefined,
        reason: 'is required with oci.privateCa: the OCIRepository verifies the registry with it',
        remedy: 'give the CA certificate (PEM), or remove oci.privateCa',
      }),
    );
  }
  return errors;
}

/** The wait's source kind and API version, and the revision Flux reports for the pushed manifest `digest`. */
export function ociWait(
  d: DesiredState,
  url: string,
  digest: string,
): { sourceKind: 'OCIRepository'; sourceApiVersion?: string; revision: string } {
  const source = d.objects.find((o) => o.kind === 'OCIRepository');
  return {
    sourceKind: 'OCIRepository',
    sourceApiVersion: source?.apiVersion as string | undefined,
    revision: `${splitOciUrl(url)?.tag ?? 'latest'}@${digest}`,
  };
}
