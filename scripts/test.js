#!/usr/bin/env node
// Runs jest over the compiled tests and closes with one plain "N passed, N failed" line.
// `node scripts/test.js [unit|integration|e2e] [file patterns...] [--jest-options=...]`
// narrows to one layer and to the files matching any pattern (e.g. `integration git-ssh`).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const layers = ['unit', 'integration', 'e2e'];
const argv = process.argv.slice(2);
const selected = layers.includes(argv[0]) ? [argv.shift()] : layers;
// Words that are not options narrow the run to the test files whose path matches one of them
// (as regular expressions, like jest's own). Handed to jest beside the layer directories they
// would widen it instead (jest ORs path patterns), starting every layer's harness.
const patterns = argv.filter((a, i) => !a.startsWith('-') && !(i > 0 && /^-(t|-testNamePattern)$/.test(argv[i - 1]))).map((p) => new RegExp(p, 'i'));
const args = argv.filter((a, i) => a.startsWith('-') || (i > 0 && /^-(t|-testNamePattern)$/.test(argv[i - 1])));
const chosen = (file) => patterns.length === 0 || patterns.some((re) => re.test(file));
// unit and integration run two files at a time. Each end-to-end file gets a jest process and so
// a harness of its own: they install and uninstall Flux, whose CRDs are cluster-wide, and one of
// them runs the real Flux controllers, which must not reconcile under the others.
function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.js') ? [path.join(dir, e.name)] : []).sort();
}
const layerFiles = (l) => testFiles(path.join(root, 'dist', 'tests', l)).map((f) => path.relative(root, f)).filter(chosen);
const escape = (f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const shared = selected.filter((l) => l !== 'e2e');
const groups = [{
  paths: patterns.length === 0 ? shared.map((l) => `dist/tests/${l}/`) : shared.flatMap(layerFiles).map(escape),
  extra: [],
}];
if (selected.includes('e2e')) {
  for (const file of layerFiles('e2e')) groups.push({ paths: [escape(file)], extra: ['--runInBand'] });
}

if (patterns.length > 0 && groups.every((g) => g.paths.length === 0)) {
  console.error(`no test file in ${selected.join(', ')} matches ${patterns.join(' or ')}`);
  process.exit(1);
}

const total = { passed: 0, failed: 0, skipped: 0 };
let status = 0;
for (const group of groups.filter((g) => g.paths.length > 0)) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-jest-')), 'report.json');
  const result = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest', { paths: [root] }), '--json', `--outputFile=${report}`, ...group.extra, ...args,
      ...group.paths],
    { cwd: root, stdio: 'inherit' },
  );
  let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0 };
  try { summary = JSON.parse(fs.readFileSync(report, 'utf8')); } catch { /* jest failed before reporting */ }
  const code = result.status === null ? 1 : result.status;
  total.passed += summary.numPassedTests;
  total.failed += summary.numFailedTests + (code !== 0 && summary.numFailedTests === 0 ? 1 : 0);
  total.skipped += summary.numPendingTests;
  if (code !== 0) status = code;
}
console.log(`\njest: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(status);
