// Mutation testing (npm run mutation): slow, so not part of `npm test` or CI. Run it after changing
// lib/log-format or lib/bucket-logging/handler, and before a release; see README "Mutation testing".
// Run one folder with: npm run mutation -- --mutate 'lib/log-format/**/*.ts'

// Property tests try a tenth of their cases per mutant (test/util/property-runs.ts); the test processes Stryker
// starts inherit this. A survivor is tried again with every case before it is called equivalent.
process.env.PROPERTY_RUNS_SCALE ??= '0.1';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['lib/log-format/**/*.ts', 'lib/bucket-logging/handler/**/*.ts'],
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner', './test/mutation/mutant-log-reporter.mjs'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // Only the tests that mirror the mutated folders. The rest of the suite synthesizes stacks or spawns the CLI
    // in child processes, which Stryker's per-test coverage cannot see, so it would only add run time.
    config: {
      roots: ['<rootDir>/test/log-format', '<rootDir>/test/bucket-logging/handler'],
      // Two suites cover the same code as the unit tests at many times their cost: the S3-stub scenarios (an HTTP
      // server, request timeouts) and the Java parity test (a JVM per run). Stryker would run them for almost every
      // mutant, and a mutant that hangs one waits out its timeout. A mutant that survives without them is tried
      // again by hand with the whole suite (`npx jest test/log-format test/bucket-logging`) before it is listed.
      testPathIgnorePatterns: ['/node_modules/', 'stub-scenarios\\.test\\.ts$', 'java-parity\\.test\\.ts$'],
      // The global set-up bundles the Lambda handlers for synth tests; these tests import the sources.
      globalSetup: undefined,
      reporters: ['default'],
    },
  },
  coverageAnalysis: 'perTest',
  // 2 cores shared with other work: one test process. Raise it with --concurrency on a quiet machine.
  concurrency: 1,
  // A mutant's tests may take 1.5 times their dry run plus 15 s: room for a busy machine, so that a slow run is not
  // taken for a mutant that hangs (which Stryker would count as detected).
  timeoutMS: 15_000,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  // mutant-log: reports/mutation/mutants.tsv, one line per mutant as it is tested (read it during a long run).
  reporters: ['clear-text', 'progress-append-only', 'html', 'json', 'mutant-log'],
  // The score table and the survivors, without the list of every test and the mutants it killed.
  clearTextReporter: { reportTests: false },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
