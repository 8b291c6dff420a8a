import * as path from 'node:path';
import { createUnplugin, type UnpluginContext, type UnpluginInstance } from 'unplugin';
import { ProjectSession, type BundlerMessage, type JauntBundlerOptions } from './project-session';

export type { JauntBundlerOptions };

/** The sources whose specs Jaunt replaces: TypeScript modules, not declaration files, not dependencies. */
export function isTypeScriptSource(id: string): boolean {
  const file = id.replace(/[?#].*$/, '');
  return /\.(?:[cm]?ts|tsx)$/.test(file) && !/\.d\.[cm]?ts$/.test(file) && !file.split(/[\\/]/).includes('node_modules');
}

function toUnplugin(m: BundlerMessage) {
  return m.loc ? { message: m.message, id: m.loc.file, loc: m.loc } : { message: m.message };
}

/**
 * The bundler plugin, on unplugin: before the bundler's own TypeScript handling (enforce: 'pre'), each
 * module's specs are replaced with their committed implementations, as TypeScript, with a source map.
 * It reads the cache and never generates (see README: "Bundlers, vitest and TypeScript 7").
 */
export const jauntUnplugin: UnpluginInstance<JauntBundlerOptions | undefined, false> = createUnplugin((options) => {
  const session = new ProjectSession(options ?? {}, process.cwd());
  return {
    name: 'jaunt-ts',
    enforce: 'pre',
    transformInclude: isTypeScriptSource,
    transform(this: UnpluginContext & { addWatchFile(id: string): void }, code: string, id: string) {
      const file = path.resolve(id.replace(/[?#].*$/, ''));
      const outcome = session.transform(code, file);
      for (const w of outcome.watch) this.addWatchFile(w);
      for (const w of outcome.warnings) this.warn(toUnplugin(w));
      // One error names every problem of the module: bundlers stop at the first they are given.
      if (outcome.errors.length > 0) {
        const first = outcome.errors[0]!;
        this.error({ ...toUnplugin(first), message: outcome.errors.map((e) => e.message).join('\n') });
      }
      return outcome.result ?? null;
    },
    watchChange(id: string) {
      session.changed(id);
    },
    vite: {
      configResolved(config: { root: string }) {
        session.setRoot(config.root);
      },
    },
  };
});
