/** `import jaunt from 'jaunt-ts/rollup'`: the Jaunt bundler plugin for rollup (see bundler/unplugin.ts). */
import type { RollupPlugin } from 'unplugin';
import type { JauntBundlerOptions } from './project-session';
import { jauntUnplugin } from './unplugin';

const plugin: (options?: JauntBundlerOptions) => RollupPlugin = jauntUnplugin.rollup;
export = plugin;
