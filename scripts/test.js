#!/usr/bin/env node
// Runs jest over the compiled tests and closes with one plain "N passed, N failed" line.
// `node scripts/test.js [unit|integration|e2e|install] [file patterns...] [--jest-options=...]`
// narrows to one layer and to the files matching any pattern (e.g. `integration git-ssh`).
// A run not narrowed to some files checks the formatting and the lint rules first.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// install: the released artifacts in empty projects (tests/install), one jest process per file
// like e2e, whose harness they share the pool with
const layers = ['unit', 'integration', 'e2e', 'install'];
const perFile = ['e2e', 'install'];
const argv = process.argv.slice(2);
const selected = layers.includes(argv[0]) ? [argv.shift()] : layers;
// Words that are not options narrow the run to the test files whose path matches one of them
// (as regular expressions, like jest's own). Handed to jest beside the layer directories they
// would widen it instead (jest ORs path patterns), starting every layer's harness.
const patterns = argv
  .filter((a, i) => !a.startsWith('-') && !(i > 0 && /^-(t|-testNamePattern)$/.test(argv[i - 1])))
  .map((p) => new RegExp(p, 'i'));
const args = argv.filter((a, i) => a.startsWith('-') || (i > 0 && /^-(t|-testNamePattern)$/.test(argv[i - 1])));
const chosen = (file) => patterns.length === 0 || patterns.some((re) => re.test(file));
// unit and integration run two files at a time. Each end-to-end file gets a jest process and so
// a harness of its own: they install and uninstall Flux, whose CRDs are cluster-wide, and one of
// them runs the real Flux controllers, which must not reconcile under the others.
function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.js') ? [path.join(dir, e.name)] : []))
    .sort();
}
const layerFiles = (l) =>
  testFiles(path.join(root, 'dist', 'tests', l))
    .map((f) => path.relative(root, f))
    .filter(chosen);
const escape = (f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const shared = selected.filter((l) => !perFile.includes(l));
const groups = [
  {
    paths: patterns.length === 0 ? shared.map((l) => `dist/tests/${l}/`) : shared.flatMap(layerFiles).map(escape),
    extra: [],
  },
];
for (const layer of perFile.filter((l) => selected.includes(l))) {
  for (const file of layerFiles(layer)) groups.push({ paths: [escape(file)], extra: ['--runInBand'] });
}

if (patterns.length > 0 && groups.every((g) => g.paths.length === 0)) {
  console.error(`no test file in ${selected.join(', ')} matches ${patterns.join(' or ')}`);
  process.exit(1);
}

// Formatting (Prettier) and lint (ESLint, eslint.config.js) before any test, unless the run is
// narrowed to some files: a failure stops the run and says which command fixes or lists it.
if (patterns.length === 0) {
  for (const [tool, toolArgs, remedy] of [
    ['prettier', ['--check', '.'], 'run `npm run format` (it rewrites the files Prettier lists)'],
    ['eslint', ['provider', 'schema', 'tests', 'examples'], 'run `npm run lint` and fix the problems it lists'],
  ]) {
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules', '.bin', tool), ...toolArgs], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`flux-bootstrap: ${tool} failed, no test was run: ${remedy}`);
      process.exit(1);
    }
  }
}

const total = { passed: 0, failed: 0, skipped: 0 };
let status = 0;

/** One jest process over a group's files; `tag` prefixes its output lines (parallel e2e). */
function runGroup(group, tag) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-jest-')), 'report.json');
  const argv = [
    require.resolve('jest/bin/jest', { paths: [root] }),
    '--json',
    `--outputFile=${report}`,
    ...group.extra,
    ...args,
    ...group.paths,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: root, stdio: tag ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    if (tag)
      for (const [from, to] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ])
        prefixLines(from, to, `[${tag}] `);
    child.on('close', (code) => {
      let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0 };
      try {
        summary = JSON.parse(fs.readFileSync(report, 'utf8'));
      } catch {
        /* jest failed before reporting */
      }
      const exit = code === null ? 1 : code;
      total.passed += summary.numPassedTests;
      total.failed += summary.numFailedTests + (exit !== 0 && summary.numFailedTests === 0 ? 1 : 0);
      total.skipped += summary.numPendingTests;
      if (exit !== 0) status = exit;
      resolve();
    });
  });
}

function prefixLines(from, to, prefix) {
  let rest = '';
  from.setEncoding('utf8');
  from.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const l of lines) to.write(prefix + l + '\n');
  });
  from.on('end', () => {
    if (rest) to.write(prefix + rest + '\n');
  });
}

/** The harness services a compiled test file declares (`// harness: a, b` atop its source). */
function declared(file) {
  const { declaredNeeds } = require(path.join(root, 'dist', 'tests', 'harness', 'selection.js'));
  return declaredNeeds(path.join(root, file.replace(/\\/g, '')));
}

/** Builds the tools only end-to-end files need (the Flux controllers, the Python, YAML and Go
 *  hosts, the Kubernetes plugin, the CDKTF CLIs) at the lowest priority while the unit and
 *  integration files run, which leave much of the CPU idle while they wait on servers. An
 *  e2e file that needs one still being built waits for it (a lock per cache entry). */
function prebuildInBackground(sharedFiles, e2eFiles) {
  const before = new Set(sharedFiles.flatMap(declared));
  const wanted = [...new Set(e2eFiles.flatMap(declared))].filter((n) => !before.has(n));
  if (wanted.length === 0) return undefined;
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flux-bootstrap-prebuild-')), 'build.log');
  const out = fs.openSync(log, 'w');
  console.error(`flux-bootstrap: building the e2e tools in the background (${wanted.join(', ')}); log: ${log}`);
  const child = spawn('nice', ['-n', '19', process.execPath, path.join(root, 'dist', 'tests', 'harness', 'cli.js'), 'build', ...wanted], {
    cwd: root,
    stdio: ['ignore', out, out],
  });
  const started = Date.now();
  child.on('close', (code) =>
    console.error(
      `flux-bootstrap: background build of the e2e tools ${code === 0 ? 'done' : `failed (exit ${code}; the e2e files build what they need)`} after ${Math.round((Date.now() - started) / 1000)} s`,
    ),
  );
  process.on('exit', () => {
    try {
      child.kill('SIGTERM');
    } catch {
      /* gone */
    }
  });
  return { child, wanted };
}

async function main() {
  const runnable = groups.filter((g) => g.paths.length > 0);
  const [shared, ...e2e] = groups[0].paths.length > 0 ? runnable : [{ paths: [] }, ...runnable];
  const prebuilt =
    shared.paths.length > 0 && e2e.length > 0
      ? prebuildInBackground(
          layerFilesOf(shared),
          e2e.map((g) => g.paths[0]),
        )
      : undefined;
  // the files that need fewer of the background-built tools first: those tools get longer
  if (prebuilt)
    e2e.sort(
      (a, b) =>
        declared(a.paths[0]).filter((n) => prebuilt.wanted.includes(n)).length -
        declared(b.paths[0]).filter((n) => prebuilt.wanted.includes(n)).length,
    );
  if (shared.paths.length > 0) await runGroup(shared);
  // Each e2e file has a harness of its own (its own API server): two run at a time, since
  // most of an e2e file's time is waiting on servers, controllers and the Pulumi CLI.
  const width = Math.max(1, Number(process.env.FLUX_BOOTSTRAP_E2E_CONCURRENCY ?? 2));
  const queue = [...e2e];
  const worker = async () => {
    for (let g = queue.shift(); g; g = queue.shift()) {
      const tag = width > 1 ? path.basename(g.paths[0].replace(/\\/g, ''), '.test.js').slice(0, 40) : undefined;
      await runGroup(g, tag);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, worker));
  console.log(`\njest: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(status);
}

/** The compiled files of the unit and integration group (directories or escaped paths). */
function layerFilesOf(group) {
  return group.paths.flatMap((p) => (p.endsWith('/') ? testFiles(path.join(root, p)).map((f) => path.relative(root, f)) : [p]));
}

main();
