// Deploy key titles as `flux bootstrap github|gitlab|gitea` writes them (flux2
// pkg/bootstrap: namespace-branch-secretName-path, path as flags.SafeRelativePath stores it),
// so a repository bootstrapped by the CLI keeps one key when we take it over.
import { deployKeyTitle, fluxRelativePath } from '../../../provider/hosts';

const base = { namespace: 'flux-system', branch: 'main', secretName: 'flux-system' };

test('the usual flags give flux-system-main-flux-system-./clusters/<name>', () => {
  expect(deployKeyTitle({ ...base, path: 'clusters/my-cluster' })).toBe('flux-system-main-flux-system-./clusters/my-cluster');
  expect(deployKeyTitle({ ...base, path: './clusters/my-cluster' })).toBe('flux-system-main-flux-system-./clusters/my-cluster');
});

test('no --path leaves the path out; an explicit "." is kept as "./"', () => {
  expect(deployKeyTitle(base)).toBe('flux-system-main-flux-system');
  expect(deployKeyTitle({ ...base, path: '' })).toBe('flux-system-main-flux-system');
  expect(deployKeyTitle({ ...base, path: '.' })).toBe('flux-system-main-flux-system-./');
});

test('the parts are namespace, branch, secret name, path, in that order', () => {
  expect(deployKeyTitle({ namespace: 'ns', branch: 'dev', secretName: 'creds', path: 'x' })).toBe('ns-dev-creds-./x');
});

test('paths are flattened like a secure join: no climbing out, no doubled or trailing slashes', () => {
  expect(fluxRelativePath('/clusters//prod/')).toBe('./clusters/prod');
  expect(fluxRelativePath('a/../b/./c')).toBe('./b/c');
  expect(fluxRelativePath('../../etc')).toBe('./etc');
  expect(fluxRelativePath('  clusters/x  ')).toBe('./clusters/x');
});
