/** `import jaunt from 'jaunt-ts/vite'`: the Jaunt bundler plugin for vite and vitest (see bundler/unplugin.ts). */
import type { VitePlugin } from 'unplugin';
import type { JauntBundlerOptions } from './project-session';
import { jauntUnplugin } from './unplugin';

const plugin: (options?: JauntBundlerOptions) => VitePlugin = jauntUnplugin.vite;
export = plugin;
