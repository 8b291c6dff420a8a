/** `import jaunt from 'jaunt-ts/vite'`: the Jaunt bundler plugin for vite (see bundler/unplugin.ts). */
import { jauntUnplugin } from './unplugin';

const plugin = jauntUnplugin.vite;
export = plugin;
