import type { Config } from 'jest';

// The sources are ESM (p-limit is ESM-only), so jest runs with --experimental-vm-modules
// and ts-jest emits ESM; imports keep their ".js" suffix as NodeNext requires, mapped back here.
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testMatch: ['<rootDir>/{core,wast,jit,engines,fuzz,runner}/**/*.test.ts'],
  testTimeout: 600_000,
  // The progress file names a test file that never ends (.ci/run's watchdog reads it).
  reporters: ['default', '<rootDir>/runner/jest/progress-reporter.cjs'],
};

export default config;
