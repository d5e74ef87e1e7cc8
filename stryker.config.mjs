// `npm run mutate`: plants small bugs in src/ and checks that the unit and flow tests catch each one.
// Not part of `npm test` or CI. Results and surviving mutants: bench/mutation.md.
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
    config: { testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/flow/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '/test/flow/soak\\.test\\.ts$'] },
    enableFindRelatedTests: false,
  },
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  // A shared 2-core machine.
  concurrency: 2,
  // A mutant that loops forever is caught soon after the tests' own time; the factor leaves room for a
  // busy machine, where a test may take twice as long as it did in the initial run.
  timeoutMS: 5000,
  timeoutFactor: 2.5,
  // Re-runs only the mutants whose code or covering tests changed since the last run (reports/stryker-incremental.json).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
