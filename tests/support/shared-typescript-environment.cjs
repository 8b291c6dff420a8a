/**
 * jest's node environment, plus the TypeScript of this jest worker: loaded once by Node's own require and
 * handed to every test file (tests/support/shared-typescript.cjs is what `typescript` resolves to in them).
 *
 * Why: jest gives each test file a new module registry, so each loaded the 9 MB compiler again through
 * jest's module wrapper, and the declaration files a test file parsed (core/program-host.ts shares them
 * per compiler) were parsed again by the next. The compiler keeps no state between programs that a test
 * could observe, and its exports cannot be reassigned, so one instance is safe to share.
 */
const { TestEnvironment } = require('jest-environment-node');
const ts = require('typescript');

class SharedTypeScriptEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__jauntTestTypeScript = ts;
  }
}

module.exports = SharedTypeScriptEnvironment;
