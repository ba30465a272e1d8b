// docs/engine.md embeds the options reference generated from the schemas; they must not drift.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { optionsReference } from '../../provider/engine';

test('the options reference in docs/engine.md is the one the schemas generate', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/engine.md'), 'utf8');
  const embedded = /<!-- options-reference:start -->\n([\s\S]*)<!-- options-reference:end -->/.exec(doc)?.[1];
  expect(embedded).toBe(optionsReference());
});
