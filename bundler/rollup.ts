/** `import jaunt from 'jaunt-ts/rollup'`: the Jaunt bundler plugin for rollup (see bundler/unplugin.ts). */
import { jauntUnplugin } from './unplugin';

const plugin = jauntUnplugin.rollup;
export = plugin;
