// harness: actionlint, ci-schemas
// The landing zone's CI files are real files, checked by real tools: the GitHub Actions workflow
// by actionlint v1.7.12 (expressions, contexts, job and step keys, matrix references, and every
// `run:` script through shellcheck), and the GitLab CI file by GitLab's own JSON schema for
// .gitlab-ci.yml (as PyPI's check-jsonschema ships it) with ajv. Each check is shown to catch a
// broken copy, so a pass is not a check that looks at nothing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { ActionlintInfo } from '../harness/actionlint';
import type { CiSchemasInfo } from '../harness/ci-schemas';
import { projectRoot } from '../harness/flux-reference';
import { harnessInfo } from '../harness/state';

const CI = path.join(projectRoot(), 'examples', 'landing-zone', 'ci');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-ci-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function actionlint(file: string) {
  const { actionlint: bin, shellcheck } = harnessInfo<ActionlintInfo>('actionlint');
  const r = spawnSync(bin, ['-no-color', '-shellcheck', shellcheck, file], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

function schemaCheck(schemaFile: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
  return (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

test('the GitHub Actions workflow passes actionlint, its run scripts shellcheck, and the workflow schema', () => {
  const file = path.join(CI, 'github-actions.yml');
  const r = actionlint(file);
  expect(r.output).toBe('');
  expect(r.code).toBe(0);
  expect(schemaCheck(harnessInfo<CiSchemasInfo>('ci-schemas').githubWorkflows)(parse(fs.readFileSync(file, 'utf8')))).toEqual([]);

  // a typo in a matrix reference and an unquoted variable in a script are caught
  const broken = path.join(tmp, 'broken.yml');
  fs.writeFileSync(
    broken,
    fs
      .readFileSync(file, 'utf8')
      .replace('name: shard ${{ matrix.shard }}', 'name: shard ${{ matrix.shrad }}')
      .replace('--markdown "$GITHUB_STEP_SUMMARY"', '--markdown $GITHUB_STEP_SUMMARY'),
  );
  const bad = actionlint(broken);
  expect(bad.code).toBe(1);
  expect(bad.output).toMatch(/property "shrad" is not defined/);
  expect(bad.output).toMatch(/shellcheck reported issue.*SC2086/);
});

test("the GitLab CI file passes GitLab's schema for .gitlab-ci.yml", () => {
  const check = schemaCheck(harnessInfo<CiSchemasInfo>('ci-schemas').gitlabCi);
  const doc = parse(fs.readFileSync(path.join(CI, 'gitlab-ci.yml'), 'utf8')) as Record<string, Record<string, unknown>>;
  expect(check(doc)).toEqual([]);
  expect(doc['landing-zone:up'].extends).toBe('.landing-zone');
  expect(doc['.landing-zone'].parallel).toEqual({ matrix: [{ SHARD: ['1', '2', '3', '4'] }] });

  // a matrix that is not a list and an unknown `when` are caught
  const broken = structuredClone(doc);
  broken['.landing-zone'].parallel = { matrix: 'SHARD' };
  broken['landing-zone:report'].when = 'sometimes';
  expect(check(broken).length).toBeGreaterThan(0);
});
