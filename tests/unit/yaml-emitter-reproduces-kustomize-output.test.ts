// The release manifests are kustomize (yaml.v2) output: parsing and re-emitting them must give
// back every byte, and the fast dialect reader must agree with a general YAML parser.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { marshalYaml } from '../../provider/engine';
import { parseGoYamlDocuments } from '../../provider/generate/goyaml/parse';
import { compareKeys } from '../../provider/generate/goyaml/sort';
import { distributionDir } from './support/reference';

const files = ['v2.8.5', 'v2.9.3'].flatMap((v) =>
  fs
    .readdirSync(distributionDir(v))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(distributionDir(v), f)),
);

describe.each(files)('%s', (file) => {
  const text = fs.readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text).map((d) => d.toJS());

  test('re-emitting the parsed documents reproduces the file byte for byte', () => {
    expect(docs.map((d) => marshalYaml(d)).join('---\n')).toBe(text);
  });

  test('the yaml.v2 dialect reader reads the same values as the yaml package', () => {
    expect(parseGoYamlDocuments(text)).toEqual(docs);
  });
});

describe('yaml.v2 conventions', () => {
  test('strings that YAML 1.1 would read as other types are double-quoted', () => {
    const out = marshalYaml({ a: 'true', b: 'yes', c: '1000', d: '', e: '1.5', f: '0x1F', g: 'null', h: '2024-01-02', i: '1:20', j: 'on' });
    expect(out).toBe('a: "true"\nb: "yes"\nc: "1000"\nd: ""\ne: "1.5"\nf: "0x1F"\ng: "null"\nh: "2024-01-02"\ni: "1:20"\nj: "on"\n');
  });

  test('indicators force single quotes, tabs force double quotes, newlines a |- block', () => {
    expect(marshalYaml({ a: '*', b: "it's: x", c: 'tab\there', d: 'two\nlines' })).toBe(
      "a: '*'\nb: 'it''s: x'\nc: \"tab\\there\"\nd: |-\n  two\n  lines\n",
    );
  });

  test('plain scalars fold at the first space reached past column 80', () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    // "word10" ends at column 79 (no fold yet), "word11" at 86: the next space becomes a line break.
    expect(marshalYaml({ description: words })).toBe(
      'description: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n' +
        '  word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23\n' +
        '  word24 word25 word26 word27 word28 word29\n',
    );
  });

  test('keys sort the way yaml.v2 does: digit runs numerically, letters after other characters', () => {
    const keys = ['b10', 'b9', 'a_b', 'aB', 'a-b', 'a'].sort(compareKeys);
    expect(keys).toEqual(['a', 'a-b', 'a_b', 'aB', 'b9', 'b10']);
  });

  test('numbers are written the way Go formats them', () => {
    expect(marshalYaml({ a: 1000, b: 0.5, c: 1234567.5, d: 0.00001, e: -3, f: true, g: null })).toBe(
      'a: 1000\nb: 0.5\nc: 1.2345675e+06\nd: 1e-05\ne: -3\nf: true\ng: null\n',
    );
  });

  test('sequences under a key are not indented, empty collections are written as {} and []', () => {
    expect(marshalYaml({ list: [{ a: 1, b: [] }, 'x'], empty: {} })).toBe('empty: {}\nlist:\n- a: 1\n  b: []\n- x\n');
  });
});
