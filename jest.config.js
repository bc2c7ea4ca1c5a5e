/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is `npm run typecheck` (tsc --noEmit); jest only transpiles, which is ~8x faster.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  globalSetup: '<rootDir>/test/util/global-setup.js',
  setupFiles: ['<rootDir>/test/util/env.js'],
  snapshotSerializers: ['<rootDir>/test/util/asset-hash-serializer.js'],
  reporters: ['default', '<rootDir>/test/util/summary-reporter.js'],
  testTimeout: 60_000,
};
