// A FluxInstance's distribution.version is a Masterminds/semver v3 constraint; the operator
// installs the newest release it carries that satisfies it. The preview names that release, so
// the range must be read the same way: each row's expectation follows Masterminds' documented
// semantics (wildcards, comparisons, tilde, caret, hyphen, AND and OR), and what it cannot read
// is refused, not guessed.
import { isRange, parseVersion, resolveRange } from '../../../provider/operator/semver-range';

// the releases flux-operator v0.59.0 carries (config/data/flux)
const CARRIED = [
  'v2.2.3',
  'v2.3.0',
  'v2.4.0',
  'v2.5.0',
  'v2.5.1',
  'v2.6.0',
  'v2.6.4',
  'v2.7.0',
  'v2.7.5',
  'v2.8.0',
  'v2.8.5',
  'v2.8.8',
  'v2.9.0',
  'v2.9.3',
  'v2.9.5',
];

test.each([
  ['2.x', 'v2.9.5'],
  ['2.X', 'v2.9.5'],
  ['*', 'v2.9.5'],
  ['2.9.x', 'v2.9.5'],
  ['2.8.x', 'v2.8.8'],
  ['2.9', 'v2.9.5'],
  ['2', 'v2.9.5'],
  ['2.9.3', 'v2.9.3'],
  ['v2.9.3', 'v2.9.3'],
  ['=2.9.3', 'v2.9.3'],
  ['>=2.8.0 <2.9.0', 'v2.8.8'],
  ['>=2.8.0, <2.9.0', 'v2.8.8'],
  ['>= 2.8.0 < 2.9.0', 'v2.8.8'],
  ['<2.9', 'v2.8.8'],
  ['<=2.8', 'v2.8.8'],
  ['>2.8', 'v2.9.5'],
  ['>2.8.8 <2.9.5', 'v2.9.3'],
  ['!=2.9.5, 2.9.x', 'v2.9.3'],
  ['~2.8', 'v2.8.8'],
  ['~2.8.5', 'v2.8.8'],
  ['~2', 'v2.9.5'],
  ['^2.8.1', 'v2.9.5'],
  ['2.6 - 2.7', 'v2.7.5'],
  ['2.6.0 - 2.7.0', 'v2.7.0'],
  ['2.5.x || 2.6.x', 'v2.6.4'],
  ['3.x', null],
  ['>=3.0.0', null],
])('%s resolves to %s', (range, expected) => {
  expect(resolveRange(range, CARRIED)).toBe(expected);
});

test('prereleases are left out unless the range names one', () => {
  const releases = ['v2.9.5', 'v2.10.0-rc.1'];
  expect(resolveRange('2.x', releases)).toBe('v2.9.5');
  expect(resolveRange('>=2.10.0-rc.1', releases)).toBe('v2.10.0-rc.1');
});

test('a new release inside the range is what it resolves to next', () => {
  expect(resolveRange('2.9.x', CARRIED)).toBe('v2.9.5');
  expect(resolveRange('2.9.x', [...CARRIED, 'v2.9.6', 'v2.10.0'])).toBe('v2.9.6');
});

test.each(['latest', '2.x.3', 'two', '>=', '2..1', '~>', 'v2.9.3.1'])('%s is refused', (range) => {
  expect(isRange(range)).toBe(false);
  expect(resolveRange(range, CARRIED)).toBeNull();
});

test('versions parse with or without v', () => {
  expect(parseVersion('v2.9.3')).toEqual({ major: 2, minor: 9, patch: 3, pre: '' });
  expect(parseVersion('2.10.0-rc.1')).toEqual({ major: 2, minor: 10, patch: 0, pre: 'rc.1' });
  expect(parseVersion('2.9')).toBeNull();
});
