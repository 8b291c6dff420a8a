/** `typescript` in the test files (jest.config.js maps it here): the worker's one compiler. */
const ts = globalThis.__jauntTestTypeScript;
if (!ts) throw new Error('tests/support/shared-typescript-environment.cjs did not run: jest.config.js sets it as the test environment');
module.exports = ts;
