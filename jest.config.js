const SHARED_TYPESCRIPT = '<rootDir>/tests/support/shared-typescript.cjs';
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @type {import('jest').Config} */
module.exports = {
  // One TypeScript per worker, shared by its test files (tests/support/shared-typescript-environment.cjs):
  // `typescript`, and the path the CLI requires it by, resolve to it. Other versions' paths are untouched.
  testEnvironment: '<rootDir>/tests/support/shared-typescript-environment.cjs',
  moduleNameMapper: { '^typescript$': SHARED_TYPESCRIPT, [`^${escape(require.resolve('typescript'))}$`]: SHARED_TYPESCRIPT },
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // Each file transpiled alone (ts-jest's isolatedModules): a type-checking ts-jest builds a language service
  // per worker and test file (30 s of CPU for two small suites, 6.5 s transpiled). tests/typecheck.test.ts
  // type-checks everything once instead.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.transpile.json' }] },
  // Fixture builds spawn the real compiler: give them time, and keep to the machine's 2 cores.
  testTimeout: 240000,
  maxWorkers: 2,
};
