// The plugin's wire values: secrets arrive wrapped at any depth and leave wrapped at the top
// level of the property that held them; unknowns pass through for the engine's checks.
import { SECRET_SIG, SIG_KEY, defined, secretOf, unwrapProps, wrapProps } from '../../../provider/plugin/values';
import { UNKNOWN } from '../../../provider/resources/common';

test('a nested secret unwraps to its value and marks its top-level property secret', () => {
  const got = unwrapProps({ host: 'git', auth: { username: 'git', password: secretOf('p') }, token: secretOf('t'), url: UNKNOWN });
  expect(got.values).toEqual({ host: 'git', auth: { username: 'git', password: 'p' }, token: 't', url: UNKNOWN });
  expect([...got.secrets].sort()).toEqual(['auth', 'token']);
});

test('wrapping marks whole properties, skips absent and unknown ones', () => {
  expect(wrapProps({ auth: { password: 'p' }, token: UNKNOWN, host: 'git' }, ['auth', 'token', 'privateKey'])).toEqual({
    auth: { [SIG_KEY]: SECRET_SIG, value: { password: 'p' } },
    token: UNKNOWN,
    host: 'git',
  });
});

test('undefined cannot cross a protobuf Struct: dropped at any depth', () => {
  expect(defined({ a: undefined, b: { c: undefined, d: 1 }, e: [undefined, 2] })).toEqual({ b: { d: 1 }, e: [null, 2] });
});
