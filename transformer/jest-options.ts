import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AstTransformer, ConfigCustomTransformer, TsJestTransformerOptions } from 'ts-jest';
import type { JauntOptions } from '../config/options';

/** `['jaunt-ts/jest', options]`: ts-jest's options, plus the plugin's under `jaunt`. */
export type JauntJestOptions = TsJestTransformerOptions & { jaunt?: JauntOptions };

export interface SplitOptions {
  /** What ts-jest gets: the caller's options with the plugin among the `before` transformers. */
  tsJest: TsJestTransformerOptions;
  /** The options the plugin runs with (they locate the cache folder). */
  jaunt: Record<string, unknown> | undefined;
}

// The package's plugin by name or by its file in the package (`<rootDir>/node_modules/jaunt-ts/...`).
const PLUGIN_PATH = /(^|[\\/])jaunt-ts[\\/](transformer|dist[\\/]transformer[\\/]plugin(\.js)?)$/;

/**
 * Whether an `astTransformers` path names this package's plugin (ts-jest resolves bare paths with require).
 * A miss only costs time: the plugin listed twice finds nothing left to splice the second time.
 */
function isJauntPlugin(entryPath: string): boolean {
  if (PLUGIN_PATH.test(entryPath)) return true;
  try {
    const resolved = require.resolve(entryPath.startsWith('.') ? path.resolve(entryPath) : entryPath);
    return fs.realpathSync(resolved) === fs.realpathSync(require.resolve('./plugin'));
  } catch {
    return false;
  }
}

const entryPath = (e: string | AstTransformer): string => (typeof e === 'string' ? e : e.path);

/**
 * Adds the plugin to ts-jest's `before` transformers unless the caller listed it already (the README's
 * earlier setup, which still works): then its options are the plugin's, and `jaunt` must not repeat them.
 */
export function splitOptions(options: JauntJestOptions | undefined): SplitOptions {
  const { jaunt, ...tsJest } = options ?? {};
  const before = tsJest.astTransformers?.before ?? [];
  const listed = before.find((e) => isJauntPlugin(entryPath(e)));
  if (listed !== undefined) {
    if (jaunt !== undefined) {
      throw new Error(`jaunt-ts/jest: the Jaunt options are given twice, under "jaunt" and in astTransformers.before; keep one (the "jaunt" option is enough: jaunt-ts/jest adds the transformer itself)`);
    }
    return { tsJest, jaunt: typeof listed === 'string' ? undefined : listed.options };
  }
  const plugin: AstTransformer = { path: require.resolve('./plugin'), ...(jaunt !== undefined ? { options: { ...jaunt } } : {}) };
  const astTransformers: ConfigCustomTransformer = { ...tsJest.astTransformers, before: [...before, plugin] };
  return { tsJest: { ...tsJest, astTransformers }, jaunt: jaunt !== undefined ? { ...jaunt } : undefined };
}
