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
const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-jest-')), 'report.json');
const patterns = selected.map((l) => `dist/tests/${l}/`);
// Layers run in order: cheap failures first, and the harness only starts when a suite needs it.
const result = spawnSync(
  process.execPath,
  [require.resolve('jest/bin/jest', { paths: [root] }), '--json', `--outputFile=${report}`, ...args, ...patterns],
  { cwd: root, stdio: 'inherit' },
);
let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTotalTests: 0 };
try { summary = JSON.parse(fs.readFileSync(report, 'utf8')); } catch { /* jest failed before reporting */ }
const failed = summary.numFailedTests + (result.status !== 0 && summary.numFailedTests === 0 ? 1 : 0);
console.log(`\njest: ${summary.numPassedTests} passed, ${failed} failed, ${summary.numPendingTests} skipped`);
process.exit(result.status === null ? 1 : result.status);
