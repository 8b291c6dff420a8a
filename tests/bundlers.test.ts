/**
 * The bundler plugin (jaunt-ts/vite, /esbuild, /rollup, /webpack) on a real fixture project: esbuild, rollup
 * and webpack bundles each run the committed implementations; a spec without an entry is a bundler error
 * naming the spec and file:line, in vite build, vitest, esbuild and webpack; a vite dev server picks up a
 * changed entry. vite build and vitest succeed on examples/vite, copied as a fresh clone has it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FixtureProject, REPO_ROOT, lastJsonLine, run, type RunResult } from './support/fixture-project';
import { decodeMappings } from './support/source-map';

const VITE = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const VITEST = path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');

/** What fixtures/bundlers/src/main.ts prints when every spec runs its committed implementation. */
const EXPECTED = {
  slugs: ['creme-brulee-classic', 'art-war', 'say-hi'],
  summary: { count: 3, min: 7, max: 9, mean: 8, median: 8 },
  badge: '3',
};

const ok = (r: RunResult, what: string): void => {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.output}`);
};
const tool = (p: FixtureProject, args: string[]) => run(process.execPath, args, { cwd: p.dir, timeoutMs: 180_000 });

describe('bundles built with the jaunt-ts plugin', () => {
  let p: FixtureProject;
  beforeAll(() => {
    p = FixtureProject.copy('bundlers');
  });
  afterAll(() => p.cleanup());

  it('an esbuild bundle runs the implementations, and its source map points spliced lines at the spec', async () => {
    ok(await tool(p, ['esbuild.mjs']), 'esbuild');
    expect(lastJsonLine(await p.node('out/esbuild/main.mjs'))).toEqual(EXPECTED);
    const bundle = p.read('out/esbuild/main.mjs').split('\n');
    const map = JSON.parse(p.read('out/esbuild/main.mjs.map')) as { sources: string[]; mappings: string };
    const csv = map.sources.findIndex((s) => s.endsWith('src/csv.ts'));
    expect(csv).toBeGreaterThanOrEqual(0);
    // A line of the entry's helper maps to the spec's `declare function` (line 8 of src/csv.ts).
    const line = bundle.findIndex((l) => l.includes('unterminated quoted field'));
    const segments = decodeMappings(map.mappings)[line]!.filter((s) => s.source === csv);
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.every((s) => s.line === 7)).toBe(true);
    // Code of the file itself keeps its own lines: main.ts's call of slugify maps to main.ts.
    const mainIndex = map.sources.findIndex((s) => s.endsWith('src/main.ts'));
    const callLine = bundle.findIndex((l) => l.includes('=> slugify(title'));
    expect(decodeMappings(map.mappings)[callLine]!.some((s) => s.source === mainIndex && s.line === 15)).toBe(true);
  });

  it('a rollup bundle, with jaunt before the TypeScript plugin, runs the implementations', async () => {
    ok(await tool(p, ['rollup.mjs']), 'rollup');
    expect(lastJsonLine(await p.node('out/rollup/main.mjs'))).toEqual(EXPECTED);
  });

  it('a webpack bundle, with jaunt before the loader that strips types, runs the implementations', async () => {
    ok(await tool(p, ['webpack.mjs']), 'webpack');
    expect(lastJsonLine(await p.node('out/webpack/main.cjs'))).toEqual(EXPECTED);
  });
});

describe('Jaunt errors in a bundler', () => {
  let p: FixtureProject;
  beforeAll(() => {
    p = FixtureProject.copy('bundlers');
    // A changed contract has no entry: the build must fail, never ship a module without slugify.
    p.edit('src/slug.ts', (t) => t.replace('At most `maxLength` characters', 'At most `maxLength` characters, hyphens included'));
  });
  afterAll(() => p.cleanup());

  const expectSlugError = (r: RunResult) => {
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('src/slug.ts:9');
    expect(r.output).toContain("JAUNT2001: spec 'slugify' (src/slug.ts:9) has no cached implementation for its current contract");
    expect(r.output).toContain('npx jaunt build');
  };

  it('vite build fails naming the spec, its file:line and what to run', async () => {
    expectSlugError(await tool(p, [VITE, 'build']));
    expect(p.exists('out/vite/main.mjs')).toBe(false);
  });

  it('esbuild and webpack fail the same way', async () => {
    expectSlugError(await tool(p, ['esbuild.mjs']));
    expectSlugError(await tool(p, ['webpack.mjs']));
    expect(p.exists('out/webpack/main.cjs')).toBe(false);
  });

  it('vitest fails the test file that imports the spec, with the Jaunt error instead of "is not a function"', async () => {
    const r = await tool(p, [VITEST, 'run']);
    expectSlugError(r);
    expect(r.output).not.toContain('is not a function');
  });
});

describe('a vite dev server', () => {
  let p: FixtureProject;
  beforeAll(() => {
    p = FixtureProject.copy('bundlers');
  });
  afterAll(() => p.cleanup());

  it('serves a module again from its cache entry after the entry changes', async () => {
    p.write('dev-watch.mjs', [
      "import * as fs from 'node:fs';",
      "import { createServer } from 'vite';",
      'const [entry] = process.argv.slice(2);',
      "const server = await createServer({ configFile: 'vite.config.mjs', server: { middlewareMode: true }, appType: 'custom', logLevel: 'silent' });",
      "const transform = async () => (await server.transformRequest('/src/badge.tsx'))?.code ?? '';",
      'const before = await transform();',
      "fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace('`${MAX_SHOWN}+`', '`${MAX_SHOWN} and more`'));",
      'let after = before;',
      'for (const deadline = Date.now() + 90_000; after === before && Date.now() < deadline;) {',
      '  await new Promise((resolve) => setTimeout(resolve, 200));',
      '  after = await transform();',
      '}',
      "console.log(JSON.stringify({ before: before.includes('and more'), after: after.includes('and more'), shipped: /function badgeLabel/.test(after) }));",
      'await server.close();',
    ].join('\n'));
    const entry = p.entryOf('badgeLabel');
    expect(fs.readFileSync(p.path(entry), 'utf8')).toContain('`${MAX_SHOWN}+`');
    const r = await tool(p, ['dev-watch.mjs', entry]);
    expect(lastJsonLine(r)).toEqual({ before: false, after: true, shipped: true });
  });
});

describe('examples/vite on a fresh clone', () => {
  let dir: string;
  beforeAll(() => {
    // A copy next to the fixtures' copies (inside the repo, so vite, vitest and jaunt-ts resolve as on a clone).
    dir = fs.mkdtempSync(path.join(REPO_ROOT, '.tmp-tests', 'example-vite-'));
    fs.cpSync(path.join(REPO_ROOT, 'examples', 'vite'), dir, { recursive: true, filter: (src) => !/[\\/](out|node_modules)$/.test(src) });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes its vitest tests from the committed cache', async () => {
    const r = await run(process.execPath, [VITEST, 'run'], { cwd: dir, timeoutMs: 180_000 });
    ok(r, 'vitest');
    expect(r.output).toMatch(/Tests\s+3 passed/);
  });

  it('builds with vite into a program that prints the ratings', async () => {
    ok(await run(process.execPath, [VITE, 'build'], { cwd: dir, timeoutMs: 180_000 }), 'vite build');
    const r = await run(process.execPath, ['out/main.mjs'], { cwd: dir });
    ok(r, 'node out/main.mjs');
    expect(r.stdout.trim().split('\n')).toEqual([
      '#000 on #fff: 21.00:1 AAA', '#777777 on #ffffff: 4.48:1 AA large', '#0af on #fff: 2.56:1 fail', '#1a1a2e on #e0e0e0: 12.92:1 AAA',
    ]);
  });
});
