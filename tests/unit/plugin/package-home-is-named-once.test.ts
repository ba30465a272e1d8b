// The package's home is chosen once (provider/plugin/package-home.ts): package.json, the package
// schema and so every generated SDK name the same repository, and the Go SDK's import path lies
// inside its module.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as home from '../../../provider/plugin/package-home';
import { packageSchema } from '../../../provider/plugin/package-schema';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  homepage: string;
  repository: { url: string };
  bugs: { url: string };
  engines: { node: string };
};

test('package.json and the schema name the same home', () => {
  const schema = packageSchema('0.0.0');
  expect(pkg.homepage).toBe(home.HOMEPAGE);
  expect(pkg.repository.url).toBe(`git+${home.REPOSITORY}.git`);
  expect(pkg.bugs.url).toBe(`${home.REPOSITORY}/issues`);
  expect({ homepage: schema.homepage, repository: schema.repository, publisher: schema.publisher }).toEqual({
    homepage: home.HOMEPAGE,
    repository: home.REPOSITORY,
    publisher: home.PUBLISHER,
  });
  // Pulumi's GitHub form names the same repository
  expect(schema.pluginDownloadURL.replace('github://api.github.com/', 'https://github.com/')).toBe(home.REPOSITORY);
});

test('every SDK language has a package name, and the Go import path lies in its module', () => {
  const language = packageSchema('0.0.0').language as Record<string, Record<string, unknown>>;
  expect(Object.keys(language).sort()).toEqual(['csharp', 'go', 'java', 'nodejs', 'python']);
  expect(language.go.importBasePath).toBe(home.GO_IMPORT_BASE);
  expect(home.GO_IMPORT_BASE.startsWith(`${home.GO_SDK_MODULE}/`)).toBe(true);
  expect(home.GO_SDK_MODULE.startsWith(home.REPOSITORY.replace('https://', ''))).toBe(true);
  expect(language.python.packageName).toBe(home.PYTHON_PACKAGE);
  // the generated TypeScript SDK must not take the npm library's own name
  expect(language.nodejs.packageName).not.toBe('flux-bootstrap');
});

test('engines states the Node release the ES-module-only dependencies need', () => {
  expect(pkg.engines.node).toBe('>=22.12');
  expect(fs.readFileSync(path.join(ROOT, 'scripts', 'node22.sh'), 'utf8')).toContain('want=22.12');
});
