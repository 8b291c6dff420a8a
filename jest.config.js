/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }] },
  // Fixture builds spawn the real compiler: give them time, and keep to the machine's 2 cores.
  testTimeout: 240000,
  maxWorkers: 2,
};
