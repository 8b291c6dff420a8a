import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { Codes, JauntError } from './errors';

/**
 * The JavaScript compiler TypeScript 7 projects install beside the native one (`npm i -D
 * @typescript/typescript6`): TypeScript 7 has no JS API, so Jaunt analyzes with this one.
 */
export const JS_COMPILER_PACKAGE = '@typescript/typescript6';

export interface AnalysisTypeScript {
  ts: typeof TS;
  /** Version of the compiler Jaunt analyzes with. */
  version: string;
  /** Package folder of that compiler. */
  packageDir: string;
  /** The project's own `typescript` (what its tsc is), when it has one. */
  project: { version: string; packageDir: string } | undefined;
}

function packageOf(request: string, from: string | undefined): { main: string; packageDir: string; version: string } | undefined {
  let main: string;
  try {
    main = require.resolve(request, from ? { paths: [from] } : undefined);
  } catch {
    return undefined;
  }
  for (let dir = path.dirname(main); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown; name?: unknown };
    if (typeof pkg.name !== 'string') continue;
    return { main, packageDir: dir, version: typeof pkg.version === 'string' ? pkg.version : '0.0.0' };
  }
  return undefined;
}

const major = (version: string) => Number(/^(\d+)/.exec(version)?.[1] ?? '0');

/** The fix for a TypeScript 7 project, said the same way by every adapter. */
export const TS7_FIX = `TypeScript 7 ignores compilerOptions.plugins: build with the bundler plugin (jaunt-ts/vite, jaunt-ts/esbuild, jaunt-ts/rollup or jaunt-ts/webpack) and install the JS compiler it analyzes with: npm i -D ${JS_COMPILER_PACKAGE}; or keep tspc and pin npm i -D typescript@5.9 ts-patch@3.3`;

/**
 * The compiler Jaunt analyzes a project with: `explicit` when given (a package name or path, resolved
 * from the project), else the project's `typescript` when it is 5.x or 6.x, else, for TypeScript 7,
 * the JS compiler installed beside it. Without one, JAUNT4010 says what to install.
 */
export function analysisTypeScript(projectDir: string, explicit?: string): AnalysisTypeScript {
  const own = packageOf('typescript', projectDir);
  const project = own && { version: own.version, packageDir: own.packageDir };
  const load = (p: { main: string; packageDir: string; version: string }): AnalysisTypeScript => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require(p.main) as typeof TS;
    if (typeof ts.createProgram !== 'function') {
      throw new JauntError(Codes.NoJsCompiler, `${p.packageDir} (TypeScript ${p.version}) has no JavaScript compiler API (createProgram), so Jaunt cannot analyze the project. ${TS7_FIX}`, { file: projectDir });
    }
    // The package's own version may be a wrapper's (@typescript/typescript6 re-exports another package).
    return { ts, version: typeof ts.version === 'string' ? ts.version : p.version, packageDir: p.packageDir, project };
  };
  if (explicit !== undefined) {
    const found = packageOf(explicit, projectDir);
    if (!found) throw new JauntError(Codes.NoJsCompiler, `the TypeScript compiler "${explicit}" named in the options cannot be resolved from ${projectDir}`, { file: projectDir });
    return load(found);
  }
  if (own && major(own.version) >= 5 && major(own.version) < 7) return load(own);
  if (own && major(own.version) >= 7) {
    const js = packageOf(JS_COMPILER_PACKAGE, projectDir);
    if (js) return load(js);
    throw new JauntError(Codes.NoJsCompiler,
      `the project's TypeScript ${own.version} (${own.packageDir}) is the native compiler: it has no JavaScript API for Jaunt's analysis, and its tsc would emit every spec as nothing. ${TS7_FIX}`,
      { file: projectDir });
  }
  if (own) throw new JauntError(Codes.UnsupportedTypeScript, `TypeScript ${own.version} is too old: jaunt-ts needs TypeScript 5.x or 6.x (or 7 with ${JS_COMPILER_PACKAGE})`, { file: projectDir });
  const fallback = packageOf('typescript', undefined);
  if (!fallback || major(fallback.version) >= 7) {
    throw new JauntError(Codes.NoJsCompiler, `no TypeScript compiler can be resolved from ${projectDir}: npm i -D typescript@5.9`, { file: projectDir });
  }
  return load(fallback);
}
