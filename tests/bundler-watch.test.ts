/**
 * Watch mode of the bundler plugin under esbuild, rollup and webpack: each bundler's own watcher rebuilds
 * when a cache entry that a module shipped changes (the plugin hands each entry to the bundler as a watched
 * file), and the rebuilt bundle carries the new implementation. The vite dev server's case is in
 * bundlers.test.ts.
 */
import * as fs from 'node:fs';
import { FixtureProject, lastJsonLine, run } from './support/fixture-project';

/** Prints whether the first and the rebuilt bundle hold the changed text; `start` begins watching into OUT. */
function watchScript(imports: string, start: string, stop: string): string {
  return [
    "import * as fs from 'node:fs';",
    imports,
    'const [entry, OUT] = process.argv.slice(2);',
    "const read = () => (fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '');",
    'const waitFor = async (ok) => {',
    '  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (ok(read())) return true;',
    '  return false;',
    '};',
    start,
    "const first = await waitFor((text) => text.includes('function badgeLabel'));",
    'const before = read();',
    // Bundlers that poll compare mtimes: make the change land on a later one.
    'await new Promise((r) => setTimeout(r, 1100));',
    "fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace('`${MAX_SHOWN}+`', '`${MAX_SHOWN} and more`'));",
    "const rebuilt = await waitFor((text) => text.includes('and more'));",
    stop,
    "console.log(JSON.stringify({ first, before: before.includes('and more'), rebuilt }));",
    'process.exit(0);',
  ].join('\n');
}

const WATCHERS: Record<string, { out: string; script: string }> = {
  esbuild: {
    out: 'out/esbuild-watch/main.mjs',
    script: watchScript(
      "import * as esbuild from 'esbuild';\nimport jaunt from 'jaunt-ts/esbuild';",
      "const ctx = await esbuild.context({ entryPoints: ['src/main.ts'], bundle: true, platform: 'node', format: 'esm', outfile: OUT, plugins: [jaunt()], logLevel: 'silent' });\nawait ctx.watch();",
      'await ctx.dispose();',
    ),
  },
  rollup: {
    out: 'out/rollup-watch/main.mjs',
    script: watchScript(
      // The fixture's rollup.mjs strips types with esbuild after jaunt; the same plugin here.
      "import { watch } from 'rollup';\nimport jaunt from 'jaunt-ts/rollup';\nimport { typescript } from './rollup-typescript.mjs';",
      "const watcher = watch({ input: 'src/main.ts', plugins: [jaunt(), typescript], external: [/^node:/], output: { file: OUT, format: 'es' }, watch: { buildDelay: 50 } });\nwatcher.on('event', (e) => e.result?.close());",
      'await watcher.close();',
    ),
  },
  webpack: {
    out: 'out/webpack-watch/main.cjs',
    script: watchScript(
      "import * as path from 'node:path';\nimport webpack from 'webpack';\nimport jaunt from 'jaunt-ts/webpack';",
      [
        "const compiler = webpack({ mode: 'development', target: 'node', context: process.cwd(), entry: './src/main.ts', devtool: false,",
        "  output: { path: path.dirname(path.resolve(OUT)), filename: path.basename(OUT) },",
        "  resolve: { extensions: ['.ts', '.tsx', '.js'], extensionAlias: { '.mjs': ['.mts', '.mjs'], '.js': ['.ts', '.js'] } },",
        "  module: { rules: [{ test: /\\.[cm]?tsx?$/, loader: path.resolve('strip-types-loader.cjs') }] }, plugins: [jaunt()] });",
        'const watching = compiler.watch({ aggregateTimeout: 50 }, () => undefined);',
      ].join('\n'),
      'await new Promise((r) => watching.close(r));',
    ),
  },
};

describe.each(Object.keys(WATCHERS))('%s watch mode', (bundler) => {
  let p: FixtureProject;
  beforeAll(() => {
    p = FixtureProject.copy('bundlers');
  });
  afterAll(() => p.cleanup());

  it('rebuilds when a shipped cache entry changes, and the new bundle carries the new implementation', async () => {
    const { out, script } = WATCHERS[bundler]!;
    p.write('watch.mjs', script);
    const entry = p.entryOf('badgeLabel');
    expect(fs.readFileSync(p.path(entry), 'utf8')).toContain('`${MAX_SHOWN}+`');
    const r = await run(process.execPath, ['watch.mjs', entry, out], { cwd: p.dir, timeoutMs: 180_000 });
    expect({ status: r.status, result: lastJsonLine(r) }).toEqual({ status: 0, result: { first: true, before: false, rebuilt: true } });
  });
});
