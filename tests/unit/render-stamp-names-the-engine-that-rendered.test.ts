// A check reuses its last rendering only while the engine is the same (check-memo.ts): the
// stamp must hold the package's version and the build of its renderer. Both are found relative
// to the compiled module, so a move of the module that leaves the paths behind would make the
// stamp say "absent" and an upgrade would reuse a rendering of the old engine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineStamp } from '../../provider/resources/check-memo';

const ROOT = path.resolve(__dirname, '..', '..', '..');

test('the engine stamp holds the package version and the compiled renderer', () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const renderer = fs.statSync(path.join(ROOT, 'dist', 'provider', 'desired-state.js'));
  expect(engineStamp()).toBe(`${version}@${renderer.size}:${Math.round(renderer.mtimeMs)}`);
});
