// The rules of the operator's inputs a JSON Schema cannot express: the FluxInstance CRD's own
// validations (sharding storage, which provider goes with which source kind), a version range
// the operator can read, the components Flux cannot run without, and a URL of the right kind
// for the source. Each is an InputError naming the field (`instance.sync.provider`), as every
// other option's.
import { InputError, InputErrors } from '../provider/errors';
import { isRange } from '../provider/operator/semver-range';
import { isValidGitUrl } from './checks';
import { REQUIRED_COMPONENTS } from './fields';
import type { FluxInstanceSpec, OperatorInput } from './flux-instance';
import { check, type CheckResult } from './validate';

type Data = Record<string, unknown>;

function instanceChecks(d: Data, failed: Set<string>, errors: InputError[]): void {
  const spec = d as FluxInstanceSpec;
  const add = (field: string, value: unknown, reason: string, remedy: string) =>
    errors.push(new InputError({ field, value, reason, remedy }));
  if (!failed.has('distribution') && !isRange(spec.distribution.version))
    add(
      'distribution.version',
      spec.distribution.version,
      'is not a version or semver range the operator reads',
      'use e.g. "2.x", "2.9.x", "~2.9", ">=2.8.0 <3.0.0" or "2.9.3"',
    );
  if (!failed.has('components') && spec.components) {
    const missing = REQUIRED_COMPONENTS.filter((c) => !spec.components!.includes(c));
    if (missing.length) add('components', spec.components, `must include ${missing.join(' and ')}`, `add ${missing.join(', ')}`);
  }
  if (!failed.has('sharding') && spec.sharding?.storage === 'persistent' && !spec.storage)
    add(
      'sharding.storage',
      'persistent',
      'needs storage: persistent shards keep their artifacts on a volume',
      'set storage {class, size}, or use "ephemeral"',
    );
  const sync = spec.sync;
  if (sync && !failed.has('sync')) {
    if (sync.provider === 'gcp' && sync.kind === 'GitRepository')
      add('sync.provider', 'gcp', 'is for OCIRepository and Bucket only', 'use kind OCIRepository, or another provider');
    if (sync.provider === 'github' && sync.kind !== 'GitRepository')
      add('sync.provider', 'github', 'is for GitRepository only (a GitHub App)', 'remove provider, or sync from Git');
    if (sync.kind === 'GitRepository' && !isValidGitUrl(sync.url))
      add(
        'sync.url',
        sync.url,
        'must be an ssh://, https:// or http:// Git URL with a host and no password',
        'use e.g. "ssh://git@github.com/acme/fleet"',
      );
    if (sync.kind === 'OCIRepository' && !/^oci:\/\/[^/\s]+\/\S+$/.test(sync.url))
      add(
        'sync.url',
        sync.url,
        'must be an oci://<registry>/<repository> URL (the tag goes in ref)',
        'use e.g. "oci://ghcr.io/acme/fleet"',
      );
    if (sync.kind === 'GitRepository' && !/^refs\/(heads|tags)\/\S+$|^refs\/pull\/\d+\/head$/.test(sync.ref))
      add('sync.ref', sync.ref, 'must be a full Git ref name, as source-controller reads spec.ref.name', 'use e.g. "refs/heads/main"');
  }
}

/** The FluxInstance spec, checked; the one default written is distribution.registry, which the CRD requires. */
export const checkFluxInstance = (input: unknown): CheckResult<FluxInstanceSpec> =>
  check<FluxInstanceSpec>('FluxInstance', input, [instanceChecks]);

export const checkOperator = (input: unknown): CheckResult<OperatorInput> => check<OperatorInput>('Operator', input, []);

export function validateFluxInstance(input: unknown): FluxInstanceSpec {
  const r = checkFluxInstance(input);
  InputErrors.throwIfAny(r.errors);
  return r.value!;
}
