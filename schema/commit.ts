// Commit options: how the manifests are committed. Defaults are `flux bootstrap`'s.
import { Type, type Static } from '@sinclair/typebox';
import { meta } from './fields';

export const CommitProperties = {
  authorName: Type.Optional(
    Type.String({
      description: 'Author name of the commits.',
      default: 'Flux',
      minLength: 1,
      pattern: '^[^<>\\n\\r\\x00]+$',
      ...meta({ reason: 'must be a non-empty name without "<", ">" or line breaks', remedy: 'use e.g. "Flux"', flag: '--author-name' }),
    }),
  ),
  authorEmail: Type.Optional(
    Type.String({
      description: 'Author e-mail of the commits; empty leaves it blank, as `flux bootstrap` does.',
      default: '',
      pattern: '^$|^[^\\s<>@]+@[^\\s<>@]+$',
      ...meta({
        reason: 'must be an e-mail address like "name@example.com"',
        remedy: 'use e.g. "flux@example.com"',
        flag: '--author-email',
      }),
    }),
  ),
  commitMessageAppendix: Type.Optional(
    Type.String({
      description: 'Text appended to every commit message after a blank line, e.g. "[skip ci]".',
      default: '',
      pattern: '^[^\\x00]*$',
      ...meta({ reason: 'must not contain NUL characters', remedy: 'remove the NUL characters', flag: '--commit-message-appendix' }),
    }),
  ),
};

export const CommitSchema = Type.Object(CommitProperties, {
  $id: 'CommitOptions',
  description: 'How the manifests are committed.',
  additionalProperties: false,
});

export type CommitInput = Static<typeof CommitSchema>;
