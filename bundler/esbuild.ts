/** `import jaunt from 'jaunt-ts/esbuild'`: the Jaunt bundler plugin for esbuild (see bundler/unplugin.ts). */
import type { EsbuildPlugin } from 'unplugin';
import type { JauntBundlerOptions } from './project-session';
import { jauntUnplugin } from './unplugin';

const plugin: (options?: JauntBundlerOptions) => EsbuildPlugin = jauntUnplugin.esbuild;
export = plugin;
