// Secret wraps sensitive values so that no rendering of it (string, JSON, inspect) shows them.
import { inspect } from 'node:util';
import { InputError, Secret } from '../../provider/engine';

test('toString, template strings, JSON and util.inspect all say [secret]', () => {
  const s = new Secret('hunter2');
  expect(String(s)).toBe('[secret]');
  // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- a template string of a Secret is what is tested
  expect(`${s}`).toBe('[secret]');
  expect(JSON.stringify({ s })).toBe('{"s":"[secret]"}');
  expect(inspect(s)).toBe('[secret]');
  expect(inspect({ nested: { s } }, { depth: 5 })).not.toContain('hunter2');
  expect(Object.keys(s)).toEqual(['reveal']);
  expect(s.reveal()).toBe('hunter2');
});

test('an InputError about a secret keeps the value wrapped', () => {
  const e = new InputError({ field: 'token', value: 'hunter2', reason: 'is too short', remedy: 'use a longer token', secret: true });
  expect(e.message).toBe('invalid token [secret]: is too short. Fix: use a longer token.');
  expect(e.value).toBeInstanceOf(Secret);
  expect(JSON.stringify(e.toJSON())).not.toContain('hunter2');
  expect(e.formatAs('--token')).toBe('invalid --token [secret]: is too short. Fix: use a longer token.');
});

test('Secret.unwrap returns plain values unchanged', () => {
  expect(Secret.unwrap('plain')).toBe('plain');
  expect(Secret.unwrap(new Secret('wrapped'))).toBe('wrapped');
});
