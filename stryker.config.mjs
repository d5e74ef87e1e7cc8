// `npm run mutate`: plants small bugs in src/ and checks that the unit and flow tests catch each one.
// Not part of `npm test` or CI. Results and surviving mutants: bench/mutation.md.
// scripts/mutate.mjs runs it one group of files at a time (MUTATE_GROUP), each with its own reports.
const group = process.env.MUTATE_GROUP ?? 'all';
export default {
  testRunner: 'jest',
  // index.ts only wires the real clock and @actions/core together: the end-to-end tests cover it.
  mutate: ['src/**/*.ts', '!src/index.ts'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // The virtual-clock suites. The soak test repeats what the flow tests pin down, 200 times over:
    // it would make each mutant take seconds more and kill nothing they miss. End-to-end tests run
    // the bundle in dist/, which Stryker does not mutate.
    // A mutant that stops the virtual clock from advancing makes a flow test spin on real requests:
    // it fails at this timeout (the slowest test takes about 6 s on a busy machine) instead of Jest's 30 s.
    config: { testTimeout: 15_000, testSequencer: '<rootDir>/test/support/unit-tests-first.mjs', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/flow/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '/test/flow/soak\\.test\\.ts$'] },
    enableFindRelatedTests: false,
  },
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  // A shared 2-core machine.
  concurrency: 2,
  // A mutant that loops forever is caught soon after the tests' own time.
  timeoutMS: 5000,
  // Re-runs only the mutants whose code or covering tests changed since the group's last run.
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${group}.json`,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${group}.html` },
  jsonReporter: { fileName: `reports/mutation/${group}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
