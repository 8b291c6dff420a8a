/** `import jaunt from 'jaunt-ts/webpack'`: the Jaunt bundler plugin for webpack (see bundler/unplugin.ts). */
import { jauntUnplugin } from './unplugin';

const plugin = jauntUnplugin.webpack;
export = plugin;
