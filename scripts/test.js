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
// unit and integration run two files at a time. End-to-end suites install and uninstall Flux,
// whose CRDs are cluster-wide, on the one harness cluster: they run one after another.
const groups = [
  { layers: selected.filter((l) => l !== 'e2e'), extra: [] },
  { layers: selected.filter((l) => l === 'e2e'), extra: ['--runInBand'] },
].filter((g) => g.layers.length > 0);

const total = { passed: 0, failed: 0, skipped: 0 };
let status = 0;
for (const group of groups) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-jest-')), 'report.json');
  const result = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest', { paths: [root] }), '--json', `--outputFile=${report}`, ...group.extra, ...args,
      ...group.layers.map((l) => `dist/tests/${l}/`)],
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
