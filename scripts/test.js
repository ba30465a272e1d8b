#!/usr/bin/env node
// Runs jest over the compiled tests and closes with one plain "N passed, N failed" line.
// `node scripts/test.js [unit|integration|e2e] [jest args...]` narrows to one layer.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const layers = ['unit', 'integration', 'e2e'];
const args = process.argv.slice(2);
const selected = layers.includes(args[0]) ? [args.shift()] : layers;
// unit and integration run two files at a time. Each end-to-end file gets a jest process and so
// a harness of its own: they install and uninstall Flux, whose CRDs are cluster-wide, and one of
// them runs the real Flux controllers, which must not reconcile under the others.
function e2eFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? e2eFiles(path.join(dir, e.name)) : e.name.endsWith('.test.js') ? [path.join(dir, e.name)] : []).sort();
}
const groups = [{ paths: selected.filter((l) => l !== 'e2e').map((l) => `dist/tests/${l}/`), extra: [] }];
if (selected.includes('e2e')) {
  for (const file of e2eFiles(path.join(root, 'dist', 'tests', 'e2e'))) {
    groups.push({ paths: [path.relative(root, file)], extra: ['--runInBand'] });
  }
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
