/**
 * The bundler entries' declarations, as a user's TypeScript config file sees them: each default export is a
 * typed function (a declaration naming a type it does not import would make it `any`, silently).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { REPO_ROOT } from './support/fixture-project';

it('jaunt-ts/vite, /esbuild, /rollup and /webpack declare typed plugin factories with typed options', () => {
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, '.tmp-tests', 'bundler-types-'));
  try {
    const lines = ['vite', 'esbuild', 'rollup', 'webpack'].flatMap((b) => [
      `import ${b} from 'jaunt-ts/${b}';`,
      `${b}({ tsconfig: 'tsconfig.json', cacheDir: '.jaunt', typescript: '@typescript/typescript6' });`,
      `// @ts-expect-error: a misspelt option`,
      `${b}({ cacheDri: '.jaunt' });`,
      `// @ts-expect-error: the plugin is no number (it would be, were the return type unresolved)`,
      `export const ${b}Plugin: number = ${b}();`,
    ]);
    fs.writeFileSync(path.join(dir, 'config.ts'), `${lines.join('\n')}\n`);
    const program = ts.createProgram([path.join(dir, 'config.ts')], {
      module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022,
      strict: true, noEmit: true, skipLibCheck: true, types: [],
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(errors).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
