/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // One run covers the library (test/) and the CLI's workspace (cli/test).
  roots: ['<rootDir>/test', '<rootDir>/cli/test'],
  // The CLI imports the library by its package exports; in the checkout they are the TypeScript sources, as
  // tsconfig.json's `paths` say for tsc and tsx.
  moduleNameMapper: {
    '^s3-access-logs$': '<rootDir>/lib/index.ts',
    '^s3-access-logs/(.*)$': '<rootDir>/lib/$1',
  },
  testMatch: ['**/*.test.ts'],
  // Type-checking is `npm run typecheck` (tsc --noEmit); jest only transpiles, which is ~8x faster.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  globalSetup: '<rootDir>/test/util/global-setup.js',
  setupFiles: ['<rootDir>/test/util/env.js'],
  snapshotSerializers: ['<rootDir>/test/util/asset-hash-serializer.js'],
  reporters: ['default', '<rootDir>/test/util/summary-reporter.js'],
  testTimeout: 60_000,
};
