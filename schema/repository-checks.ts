// The repository on an API host (GitHub, GitLab, Gitea) as every front end takes it: owner and
// name, the visibility of a created one, and a GitHub App in place of the token. The Pulumi
// resources (Node and plugin-served alike) and the CDKTF constructs call these, each naming the
// fields its own way (`owner`, `repository.owner`), so one input gets one message everywhere.
import { InputError } from '../provider/errors';

const NAME = /^[A-Za-z0-9_.-]+$/;
const OWNER = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

export const VISIBILITIES = ['private', 'internal', 'public'] as const;

/** owner (a user, organization or group path) on `host`; undefined is missing. */
export function ownerProblem(host: string, owner: unknown): InputError | undefined {
  if (owner === undefined)
    return new InputError({
      field: 'owner',
      value: undefined,
      reason: `a value is required for host "${host}"`,
      remedy: 'give the user, organization or group, e.g. "acme"',
    });
  if (typeof owner === 'string' && OWNER.test(owner)) return undefined;
  return new InputError({
    field: 'owner',
    value: owner,
    reason: 'must be a user, organization or group path',
    remedy: 'use e.g. "acme" or "group/subgroup"',
  });
}

/** name (the repository, without ".git": flux's URLs and the hosts' APIs add it themselves). */
export function nameProblem(host: string, name: unknown): InputError | undefined {
  if (name === undefined)
    return new InputError({
      field: 'name',
      value: undefined,
      reason: `a value is required for host "${host}"`,
      remedy: 'give the repository name, e.g. "fleet"',
    });
  if (typeof name === 'string' && NAME.test(name) && !name.endsWith('.git')) return undefined;
  return new InputError({
    field: 'name',
    value: name,
    reason: 'must be a repository name (letters, digits, ".", "_", "-"; no ".git")',
    remedy: 'use e.g. "fleet"',
  });
}

export function visibilityProblem(visibility: unknown): InputError | undefined {
  if ((VISIBILITIES as readonly unknown[]).includes(visibility)) return undefined;
  return new InputError({
    field: 'visibility',
    value: visibility,
    reason: `must be one of ${VISIBILITIES.join(', ')}`,
    remedy: 'use "private", like flux bootstrap',
  });
}

/** auth (a GitHub App) beside the host and a token: GitHub only, and instead of the token. */
export function appPairingProblems(host: unknown, token: unknown, auth: unknown): InputError[] {
  if (auth === undefined) return [];
  const errors: InputError[] = [];
  if (host !== 'github')
    errors.push(
      new InputError({
        field: 'auth',
        value: auth,
        reason: 'GitHub App credentials apply only to host "github" (GitHub and GitHub Enterprise)',
        remedy: 'pass a token instead',
        secret: true,
      }),
    );
  if (token !== undefined)
    errors.push(
      new InputError({
        field: 'token',
        value: token,
        reason: 'cannot be combined with auth (a GitHub App)',
        remedy: 'remove token: the App authenticates the API, the pushes and Flux',
        secret: true,
      }),
    );
  return errors;
}
