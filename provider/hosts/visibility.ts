import { InputError } from '../errors';
import type { EnsureRepositoryInput, Visibility } from './types';

/** `visibility`, else `private` (true/false), else private: flux creates private repositories. */
export function resolveVisibility(input: Pick<EnsureRepositoryInput, 'visibility' | 'private'>, allowed: Visibility[]): Visibility {
  const v: Visibility = input.visibility ?? (input.private === false ? 'public' : 'private');
  if (!allowed.includes(v)) {
    throw new InputError({
      field: 'visibility',
      value: v,
      reason: `is not available here (allowed: ${allowed.join(', ')})`,
      remedy:
        v === 'internal'
          ? 'internal repositories exist only in organizations/groups of GitHub Enterprise or GitLab; use "private"'
          : `use one of ${allowed.join(', ')}`,
    });
  }
  return v;
}
