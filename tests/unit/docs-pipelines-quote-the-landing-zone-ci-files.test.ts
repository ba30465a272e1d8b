// docs/pipelines.md shows the landing zone's CI files as they are: each block marked
// `<!-- file: PATH -->` holds that file byte for byte, so the doc never drifts from the files
// the integration test checks with actionlint and GitLab's schema.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../harness/flux-reference';

const DOC = path.join(projectRoot(), 'docs', 'pipelines.md');
const FILES = ['examples/landing-zone/ci/github-actions.yml', 'examples/landing-zone/ci/gitlab-ci.yml'];

function quoted(doc: string, file: string): string | undefined {
  const marker = `<!-- file: ${file} -->\n\`\`\`yaml\n`;
  const at = doc.indexOf(marker);
  if (at < 0) return undefined;
  const start = at + marker.length;
  const end = doc.indexOf('\n```\n', start - 1);
  return end < 0 ? undefined : doc.slice(start, end + 1);
}

test.each(FILES)('docs/pipelines.md quotes %s byte for byte', (file) => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const body = quoted(doc, file);
  expect(body).toBeDefined();
  expect(body).toBe(fs.readFileSync(path.join(projectRoot(), file), 'utf8'));
});

test('no CI job in the doc is marked as not run here any more', () => {
  expect(fs.readFileSync(DOC, 'utf8')).not.toMatch(/documented, not run here/);
});
