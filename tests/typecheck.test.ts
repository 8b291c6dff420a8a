/**
 * The tests' type check. Jest compiles each test file alone without types (jest.config.js), so this one
 * program over tests/tsconfig.json is where a type error in a test or a support file, or in how it uses
 * the sources it imports, fails the suite, as strict as the build. The sources' own bodies are checked by
 * the build (`npm run build`), which every fixture test requires to be fresh (support/fixture-project.ts):
 * checking them again here cost a third of this test.
 */
import * as path from 'node:path';
import * as ts from 'typescript';

test('the tests and their support files type-check against the sources they import, without an error', () => {
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
  const testFiles = program.getSourceFiles().filter((sf) => !path.relative(__dirname, sf.fileName).startsWith('..'));
  expect(testFiles.map((sf) => sf.fileName)).toContain(__filename);
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(),
    ...testFiles.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ];
  expect(ts.formatDiagnostics(diagnostics, host)).toBe('');
}, 300_000);
