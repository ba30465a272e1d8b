// Pulumi's engine prints a check failure's property value beside its reason ("property auth
// value {&{{map[privateKey:...]}}} has a problem"), secrets included: seen with the real CLI on
// a malformed push key. A failure in an input that holds a secret therefore names no property
// (the engine then says "resource 'x' has a problem: <reason>"), and its reason names the field.
import { KINDS } from '../../provider/plugin/resources';
import { failuresFrom, SECRET_BEARING } from '../../provider/resources/common';
import { InputError, InputErrors } from '../../provider/errors';

test('every secret input of every resource is one whose failures name no property', () => {
  for (const kind of KINDS) for (const s of kind.secrets) expect([kind.name, SECRET_BEARING.has(s)]).toEqual([kind.name, true]);
});

test('a failure inside auth names no property; one in a plain input names it', () => {
  const failures = failuresFrom(
    new InputErrors([
      new InputError({ field: 'auth.knownHosts', value: 'x', reason: 'needs host, key type and key', remedy: 'use ssh-keyscan' }),
      new InputError({ field: 'credentials', value: 'y', reason: 'bad', remedy: 'fix', secret: true }),
      new InputError({ field: 'namespace', value: 'Flux', reason: 'must be lowercase', remedy: 'use flux-system' }),
    ]),
  );
  expect(failures.map((f) => f.property)).toEqual(['', '', 'namespace']);
  expect(failures[0].reason).toContain('auth.knownHosts');
  expect(failures[1].reason).toContain('invalid credentials [secret]');
});
