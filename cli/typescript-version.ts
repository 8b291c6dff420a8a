import { TS7_FIX } from '../core/analysis-typescript';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ResolvedTypeScript {
  version: string;
  /** The module to require. */
  main: string;
  packageDir: string;
  /** False when the project has none and jaunt's own copy is used. */
  fromProject: boolean;
}

function packageDirOf(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'typescript') return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function resolveFrom(paths: string[] | undefined): ResolvedTypeScript | undefined {
  let main: string;
  try {
    main = require.resolve('typescript', paths ? { paths } : undefined);
  } catch {
    return undefined;
  }
  const packageDir = packageDirOf(main);
  if (!packageDir) return undefined;
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version?: unknown };
  return { version: typeof version === 'string' ? version : '0.0.0', main, packageDir, fromProject: paths !== undefined };
}

/**
 * The `typescript` package the project resolves (what tspc uses), read from its package.json before it
 * is loaded: TypeScript 7 may not even offer the JS API. Falls back to the copy jaunt resolves.
 */
export function resolveTypeScript(projectDir: string): ResolvedTypeScript {
  const found = resolveFrom([projectDir]) ?? resolveFrom(undefined);
  if (!found) throw new Error('typescript cannot be resolved from the project or from jaunt-ts');
  return found;
}

export function majorOf(version: string): number {
  return Number(/^(\d+)/.exec(version)?.[1] ?? '0');
}

/** Why this TypeScript cannot run Jaunt's transformer, and the fix; undefined when it can. */
export function typeScriptProblem(version: string): { message: string; fix: string } | undefined {
  const major = majorOf(version);
  if (major >= 7) {
    return {
      message: `TypeScript ${version} is the native compiler (TypeScript 7): it has no transformer API and silently ignores compilerOptions.plugins, so no spec would be implemented`,
      fix: TS7_FIX,
    };
  }
  if (major < 5) {
    return { message: `TypeScript ${version} is too old: jaunt-ts needs TypeScript 5.x or 6.x`, fix: 'npm i -D typescript@5.9 ts-patch@3.3' };
  }
  return undefined;
}
