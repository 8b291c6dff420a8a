/**
 * The plugin under tsc's other ways of building: `tsc -b` with project references and incremental
 * rebuilds, and a tsconfig that leaves `include` to its default.
 */
import * as fs from 'node:fs';
import * as ts from 'typescript';
import { FixtureProject, lastJsonLine, type RunResult } from './support/fixture-project';

// The default-include project builds while the project-references tests run (they build one at a time).
let noInclude: FixtureProject;
let noIncludeBuild: Promise<RunResult>;
beforeAll(() => {
  noInclude = FixtureProject.copy('basic-cjs');
  // Leave the default include (`**/*`), so the only thing between .jaunt/*.ts and the program is the default.
  noInclude.remove('impl');
  noInclude.edit('tsconfig.json', (t) => t.replace(/,\s*"include": \["src"\]/, '').replace('"rootDir": "src", ', ''));
  noIncludeBuild = noInclude.tspc();
});
afterAll(async () => {
  await noIncludeBuild?.catch(() => undefined);
  noInclude?.cleanup();
});

describe('project references with tsc -b', () => {
  let refs: FixtureProject;
  beforeAll(() => {
    refs = FixtureProject.copy('project-refs');
  });
  afterAll(() => refs?.cleanup());

  test('builds the referenced project first and both projects\' specs run', async () => {
    const r = await refs.tspc(['-b', 'app']);
    expect({ status: r.status, output: r.output }).toEqual({ status: 0, output: '' });
    expect(refs.exists('lib/out/index.js')).toBe(true);
    expect(lastJsonLine(await refs.node('app/out/main.js'))).toEqual({ one: '7.05 USD', total: '4.25 EUR' });
  });

  test('does not treat the referenced project\'s emitted .d.ts, which keeps the @jaunt JSDoc, as a misplaced spec', () => {
    expect(refs.read('lib/out/index.d.ts')).toMatch(/@jaunt\s+\*\/\s+export declare function formatMoney/);
  });

  test('a second build with nothing changed succeeds and leaves the output as it was', async () => {
    const before = refs.read('app/out/main.js');
    const r = await refs.tspc(['-b', 'app']);
    expect({ status: r.status, output: r.output }).toEqual({ status: 0, output: '' });
    expect(refs.read('app/out/main.js')).toBe(before);
    expect(lastJsonLine(await refs.node('app/out/main.js'))).toEqual({ one: '7.05 USD', total: '4.25 EUR' });
  });

  test('an incremental rebuild after a comment edit re-emits the file with its implementation spliced in', async () => {
    refs.edit('app/src/main.ts', (t) => t.replace('// The referenced project', '// Edited: the referenced project'));
    const r = await refs.tspc(['-b', 'app']);
    expect({ status: r.status, output: r.output }).toEqual({ status: 0, output: '' });
    const js = refs.read('app/out/main.js');
    expect(js).toContain('// Edited: the referenced project');
    expect(js).toMatch(/\/\* jaunt: \.jaunt\/total\.[0-9a-f]{16}\.ts \*\/\nfunction total\(/);
    expect(lastJsonLine(await refs.node('app/out/main.js'))).toEqual({ one: '7.05 USD', total: '4.25 EUR' });
  });

  test('an incremental rebuild after a contract edit in the referenced project reports the missing entry there', async () => {
    refs.edit('lib/src/index.ts', (t) => t.replace('e.g. {', 'for example {'));
    const r = await refs.tspc(['-b', 'app']);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/lib\/src\/index\.ts\(\d+,1\): error TS992001: JAUNT2001: spec 'formatMoney'/);
  });

  // The state tsc keeps between builds (tsbuildinfo) knows the sources, not the cache: writing the
  // entry changes no source file.
  test('once the missing entry is written, the next incremental build succeeds and runs it', async () => {
    refs.write('lib/impl2/formatMoney.ts', refs.read('lib/impl/formatMoney.ts').replace('${m.currency}`', '${m.currency}!`'));
    expect(refs.authorOffline('lib/tsconfig.json', 'lib/impl2').written).toEqual(['formatMoney']);
    const r = await refs.tspc(['-b', 'app']);
    expect({ status: r.status, output: r.output }).toEqual({ status: 0, output: '' });
    expect(lastJsonLine(await refs.node('app/out/main.js'))).toEqual({ one: '7.05 USD!', total: '4.25 EUR!' });
  });
});

describe('a tsconfig without "include"', () => {
  test('does not make the cache entries in .jaunt/ part of the program', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(noInclude.path('tsconfig.json'), undefined, {
      ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
    })!;
    expect(parsed.raw).not.toHaveProperty('include');
    expect(noInclude.entries().length).toBe(2);
    expect(parsed.fileNames.map((f) => f.slice(noInclude.dir.length + 1)).sort()).toEqual(['src/main.ts', 'src/math.ts']);
  });

  test('builds and runs, emitting nothing for the entries', async () => {
    const r = await noIncludeBuild;
    expect({ status: r.status, output: r.output }).toEqual({ status: 0, output: '' });
    const emitted = fs.readdirSync(noInclude.path('out'), { recursive: true }).map(String).sort();
    expect(emitted.filter((f) => f.endsWith('.js'))).toEqual(['main.js', 'math.js']);
    expect(lastJsonLine(await noInclude.node('out/main.js'))).toMatchObject({ early: 10, c: 0 });
  });
});
