// Tests are written in TypeScript under tests/ and run from their compiled form in dist/,
// the same CommonJS the package ships (scripts/run.sh builds before every run).
// Dependencies that ship only ES modules (@octokit/* and theirs): jest on Node 22 cannot
// require() them, so they are compiled to CommonJS by tests/harness/jest-esm-transform.ts.
const ESM_ONLY = '@octokit|universal-user-agent|universal-github-app-jwt|before-after-hook|json-with-bigint|content-type';

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/dist/tests/**/*.test.js'],
  globalSetup: '<rootDir>/dist/tests/harness/jest-global-setup.js',
  globalTeardown: '<rootDir>/dist/tests/harness/jest-global-teardown.js',
  // default order, plus telling global setup which files run (it starts what they declare)
  testSequencer: '<rootDir>/dist/tests/harness/jest-sequencer.js',
  transform: {
    [`/node_modules/(${ESM_ONLY})/.+\\.js$`]: '<rootDir>/dist/tests/harness/jest-esm-transform.js',
    '\\.[jt]sx?$': 'babel-jest', // jest's default, for everything else
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY})/)`],
  testTimeout: 10 * 60 * 1000,
  maxWorkers: 2,
  verbose: true,
};
