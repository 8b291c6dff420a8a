/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // Each file transpiled alone (ts-jest's isolatedModules): a type-checking ts-jest builds a language service
  // in every worker, over half the suite's CPU time. tests/typecheck.test.ts type-checks everything once.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.transpile.json' }] },
  // Fixture builds spawn the real compiler: give them time, and keep to the machine's 2 cores.
  testTimeout: 240000,
  maxWorkers: 2,
};
