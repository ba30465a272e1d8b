// Tests are written in TypeScript under tests/ and run from their compiled form in dist/,
// the same CommonJS the package ships (scripts/run.sh builds before every run).
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/dist/tests/**/*.test.js'],
  globalSetup: '<rootDir>/dist/tests/harness/jest-global-setup.js',
  globalTeardown: '<rootDir>/dist/tests/harness/jest-global-teardown.js',
  testTimeout: 10 * 60 * 1000,
  maxWorkers: 2,
  verbose: true,
};
