import * as path from 'node:path';
import type * as TS from 'typescript';
import { resolveOptions } from '../config/options';

/** The parts of jest's project config that locate ts-jest's tsconfig. */
export interface JestPaths {
  rootDir: string;
  cwd: string;
}

/**
 * The tsconfig ts-jest 29 compiles with, found as its ConfigSet does: a string `tsconfig` option is a path
 * (`<rootDir>` expanded, otherwise relative to jest's cwd); anything else (absent, `true`, `false`, inline
 * options) means the nearest tsconfig.json from rootDir.
 */
export function tsJestConfigFile(ts: typeof TS, tsconfigOption: unknown, jest: JestPaths): string | undefined {
  if (typeof tsconfigOption === 'string') {
    return tsconfigOption.startsWith('<rootDir>')
      ? path.resolve(path.join(jest.rootDir, tsconfigOption.slice('<rootDir>'.length)))
      : path.resolve(jest.cwd, tsconfigOption);
  }
  return ts.findConfigFile(jest.rootDir, ts.sys.fileExists);
}

/**
 * The cache folder the plugin reads under ts-jest: its `cacheDir` option against the folder of the
 * program's tsconfig (the plugin's project dir), or jest's cwd when there is no tsconfig (the program's
 * current directory). Undefined when the options are invalid: the plugin then fails every spec with the
 * reason, and a fixed option changes ts-jest's own key, which includes the transformer options.
 */
export function jestCacheDir(ts: typeof TS, tsconfigOption: unknown, jauntOptions: unknown, jest: JestPaths): string | undefined {
  const configFile = tsJestConfigFile(ts, tsconfigOption, jest);
  const projectDir = configFile !== undefined ? path.dirname(configFile) : jest.cwd;
  try {
    return resolveOptions(jauntOptions, projectDir).cacheDir;
  } catch {
    return undefined;
  }
}
