/**
 * jest entry: `transform: { '^.+\\.tsx?$': ['jaunt-ts/jest', { ...ts-jest options, jaunt: { ...plugin options } }] }`.
 *
 * ts-jest with the plugin among its `before` transformers, and a cache key that follows the cache folder.
 * jest reuses a file's compiled output while its transformer's key is unchanged, and ts-jest's key covers
 * the file's text, the jest and ts-jest config, the tsconfig, the transformers' names and versions and (not
 * under isolatedModules) the mtimes of the modules the file imports; never the `.jaunt/` entries spliced
 * into it. So after `jaunt build`, `jaunt author`, a pull or a hand edit that changes only entries, plain
 * ts-jest serves the old code until `--no-cache`. This key adds, for files that declare specs, a digest of
 * those specs' entries; every other file keeps ts-jest's key exactly. A spec file whose entries changed
 * during the process's life is refused rather than compiled from what the plugin read first.
 */
import { createHash } from 'node:crypto';
import type * as TS from 'typescript';
import type { TsJestTransformer, TsJestTransformOptions } from 'ts-jest';
import { jestCacheDir } from './jest-cache-dir';
import { specEntriesDigest } from './jest-cache-key';
import { assertEntriesUnchanged, rememberEntries } from './jest-entry-guard';
import { splitOptions, type JauntJestOptions } from './jest-options';

export type { JauntJestOptions };

/** The transformer jest gets: ts-jest's, with its own key. */
export type JauntJestTransformer = Pick<TsJestTransformer, 'process' | 'processAsync' | 'getCacheKey' | 'getCacheKeyAsync'>;

type TsJestModule = typeof import('ts-jest');

function loadTsJest(): TsJestModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('ts-jest') as TsJestModule;
  } catch (e) {
    throw new Error(`jaunt-ts/jest runs ts-jest, which cannot be loaded (${e instanceof Error ? e.message : String(e)}): npm i -D ts-jest`);
  }
}

/** The `tsconfig` ts-jest uses: its transformer option wins over the deprecated `globals['ts-jest']`. */
function tsconfigOption(options: TsJestTransformOptions['transformerConfig'] | undefined, config: TsJestTransformOptions['config']): unknown {
  if (options && 'tsconfig' in options) return options.tsconfig;
  // jest normalizes `globals` to an object; a hand-made config may omit it.
  const globals = (config.globals as typeof config.globals | undefined)?.['ts-jest'];
  return globals !== null && typeof globals === 'object' && 'tsconfig' in globals ? globals.tsconfig : undefined;
}

/** Called by jest once per test file's transformer set, with the options from the jest config. */
export function createTransformer(options?: JauntJestOptions): JauntJestTransformer {
  const { tsJest, jaunt } = splitOptions(options);
  const inner = loadTsJest().default.createTransformer(tsJest);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof TS;
  // One jest project per transformer instance in practice; keyed anyway, as the config is passed per call.
  const cacheDirs = new Map<string, string | undefined>();
  const cacheDirOf = (config: TsJestTransformOptions['config']): string | undefined => {
    const id = `${config.rootDir}\0${config.cwd}`;
    if (!cacheDirs.has(id)) cacheDirs.set(id, jestCacheDir(ts, tsconfigOption(tsJest, config), jaunt, config));
    return cacheDirs.get(id);
  };
  const withEntries = (key: string, text: string, file: string, o: TsJestTransformOptions): string => {
    const cacheDir = cacheDirOf(o.config);
    if (cacheDir === undefined) return key;
    // Before anything in this process can run the plugin: see jest-entry-guard.ts.
    rememberEntries(cacheDir);
    const digest = specEntriesDigest(ts, file, text, cacheDir);
    return digest === undefined ? key : createHash('sha1').update(key).update('\0jaunt\0').update(digest).digest('hex');
  };
  const guard = (text: string, file: string, o: TsJestTransformOptions): void => {
    const cacheDir = cacheDirOf(o.config);
    if (cacheDir === undefined) return;
    rememberEntries(cacheDir);
    assertEntriesUnchanged(ts, file, text, cacheDir);
  };
  return {
    process(text, file, o) {
      guard(text, file, o);
      return inner.process(text, file, o);
    },
    async processAsync(text, file, o) {
      guard(text, file, o);
      return inner.processAsync(text, file, o);
    },
    getCacheKey: (text, file, o) => withEntries(inner.getCacheKey(text, file, o), text, file, o),
    getCacheKeyAsync: async (text, file, o) => withEntries(await inner.getCacheKeyAsync(text, file, o), text, file, o),
  };
}

// jest loads transformers with interop: an `__esModule` module must carry the factory on `default`.
export default { createTransformer };
