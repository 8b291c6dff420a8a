/** `import jaunt from 'jaunt-ts/webpack'`: the Jaunt bundler plugin for webpack (see bundler/unplugin.ts). */
import type { WebpackPluginInstance } from 'unplugin';
import type { JauntBundlerOptions } from './project-session';
import { jauntUnplugin } from './unplugin';

const plugin: (options?: JauntBundlerOptions) => WebpackPluginInstance = jauntUnplugin.webpack;
export = plugin;
