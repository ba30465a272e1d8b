// Type-checked lint rules (typescript-eslint's recommendedTypeChecked), run by `npm test` before
// any test. Where a rule is turned off or narrowed, the reason is written beside it.
'use strict';
const { defineConfig, globalIgnores } = require('eslint/config');
const tseslint = require('typescript-eslint');

const UNSAFE_ANY = [
  '@typescript-eslint/no-unsafe-member-access',
  '@typescript-eslint/no-unsafe-call',
  '@typescript-eslint/no-unsafe-assignment',
  '@typescript-eslint/no-unsafe-argument',
  '@typescript-eslint/no-unsafe-return',
];
const off = (rules) => Object.fromEntries(rules.map((r) => [r, 'off']));

module.exports = defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', '.demo/', 'examples/**/node_modules/', '**/*.js', 'schema/input-types.ts']),
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Modules are loaded on first use (`require` inside a function) so that a preview, a
      // plugin start or a Bootstrap's construction loads only what it needs: start-up time is
      // measured (docs/performance.md). Such a require is typed with `as typeof import(...)`.
      '@typescript-eslint/no-require-imports': 'off',
      // Each resource's output properties are declared once, as an interface merged into both
      // the Node class and the package-resource class (provider/pulumi, provider/plugin).
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
      // ... and that merging is written `interface Foo extends FooOutputProperties {}` beside
      // `class Foo`: an interface that only extends one other is allowed for it.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The provider plugin speaks gRPC through @pulumi/pulumi's generated protobuf modules,
    // which are untyped JavaScript: every message is `any` there by construction.
    files: ['provider/plugin/**/*.ts'],
    rules: off(UNSAFE_ANY),
  },
  {
    // Tests read JSON from servers, CLIs and state files and assert on it: the assertion is
    // the type check. A test that types every response would mostly restate its expectations.
    files: ['tests/**/*.ts'],
    rules: { ...off(UNSAFE_ANY), '@typescript-eslint/no-explicit-any': 'off' },
  },
);
