/** `import jaunt from 'jaunt-ts/esbuild'`: the Jaunt bundler plugin for esbuild (see bundler/unplugin.ts). */
import { jauntUnplugin } from './unplugin';

const plugin = jauntUnplugin.esbuild;
export = plugin;
