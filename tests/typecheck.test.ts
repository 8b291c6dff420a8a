/**
 * The tests' type check. Jest compiles each test file alone without types (jest.config.js), so this one
 * program over tests/tsconfig.json is where a type error in a test, a support file or a source they import
 * fails the suite, as strict as the build.
 */
import * as path from 'node:path';
import * as ts from 'typescript';

test('the tests, their support files and the sources they import type-check without an error', () => {
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => path.join(__dirname, '..'), getNewLine: () => '\n' };
  const config = ts.getParsedCommandLineOfConfigFile(path.join(__dirname, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.formatDiagnostics([d], host));
    },
  });
  expect(config?.errors ?? []).toEqual([]);
  expect(config!.fileNames).toContain(__filename);
  const program = ts.createProgram({ rootNames: config!.fileNames, options: config!.options });
  expect(ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), host)).toBe('');
}, 300_000);
