/**
 * The fixtures compiled by the real compiler (ts-patch's tspc with the built plugin), their output run
 * by node. basic-cjs and esm-nodenext build from their committed .jaunt/ (so a change to the hash that
 * would orphan every user's committed cache fails here); collisions builds as CommonJS and as ESM from
 * the same entries.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { FixtureProject, lastJsonLine, type RunResult } from './support/fixture-project';
import { decodeMappings, type RawSourceMap } from './support/source-map';

let cjs: FixtureProject;
let esm: FixtureProject;
let collideCjs: FixtureProject;
let collideEsm: FixtureProject;
const builds = new Map<FixtureProject, RunResult>();

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

beforeAll(async () => {
  cjs = FixtureProject.copy('basic-cjs');
  esm = FixtureProject.copy('esm-nodenext');
  collideCjs = FixtureProject.copy('collisions');
  collideEsm = FixtureProject.copy('collisions');
  // The same sources and entries, emitted as ES modules: the hash does not depend on the module format.
  collideEsm.write('package.json', '{ "type": "module" }\n');
  collideEsm.edit('tsconfig.json', (t) => t.replace('"module": "commonjs"', '"module": "NodeNext", "moduleResolution": "NodeNext"'));
  const projects = [cjs, esm, collideCjs, collideEsm];
  const results = await Promise.all(projects.map((p) => p.tspc()));
  projects.forEach((p, i) => builds.set(p, results[i]!));
});

afterAll(() => [cjs, esm, collideCjs, collideEsm].forEach((p) => p?.cleanup()));

function expectCleanBuild(project: FixtureProject): void {
  const r = builds.get(project)!;
  expect({ status: r.status, output: r.output }).toEqual({ status: 0, output: '' });
}

describe('basic-cjs through tspc', () => {
  test('builds from its committed cache without a diagnostic', () => {
    expectCleanBuild(cjs);
  });

  test('prints the values of the spliced functions, including one called at module load above the spec', async () => {
    expect(lastJsonLine(await cjs.node('out/main.js'))).toEqual({
      early: 10, c: 0, h: createHash('sha256').update('abc').digest('hex'),
    });
  });

  test('the spliced clamp keeps its contract: RangeError when min > max', async () => {
    const r = await cjs.eval(`
      const { clamp } = require('./out/math.js');
      try { clamp(1, 5, 2); console.log('no error'); } catch (e) { console.log(e.constructor.name); }`);
    expect(r.stdout.trim()).toBe('RangeError');
  });

  test('exports the specs and the user\'s own functions but none of the implementation\'s helpers', async () => {
    const r = await cjs.eval(`const m = require('./out/math.js'); console.log(JSON.stringify({ keys: Object.keys(m).sort(), md5: m.digestOf('a') }))`);
    expect(lastJsonLine(r)).toEqual({
      keys: ['clamp', 'digestOf', 'early', 'sha256'],
      // The user's digestOf (md5) is untouched by the entry's own digestOf helper (sha256).
      md5: createHash('md5').update('a').digest('hex'),
    });
  });

  test('labels each spliced function with its cache entry', () => {
    const js = cjs.read('out/math.js');
    expect(js).toContain(`/* jaunt: ${cjs.entryOf('clamp')} */`);
    expect(js).toContain(`/* jaunt: ${cjs.entryOf('sha256')} */`);
  });

  test('the .d.ts keeps each spec as a `declare function` with its JSDoc, and nothing of the implementation', () => {
    const dts = cjs.read('out/math.d.ts');
    expect(dts).toContain([
      '/**',
      ' * Clamp `value` into the inclusive range [min, max].',
      ' * Throws RangeError if min > max.',
      ' * @jaunt',
      ' */',
      'export declare function clamp(value: number, min: number, max: number): number;',
    ].join('\n'));
    expect(dts).toContain(' * SHA-256 of `text` as lowercase hex.\n * @jaunt\n */\nexport declare function sha256(text: string): string;');
    expect(dts).not.toMatch(/ENCODING|digestOf_|createHash/);
  });

  test('the source map sends every line of a spliced function back to the spec\'s declaration', () => {
    const js = cjs.read('out/math.js').split('\n');
    const map = JSON.parse(cjs.read('out/math.js.map')) as RawSourceMap;
    const lines = decodeMappings(map.mappings);
    const specLine = cjs.read('src/math.ts').split('\n').findIndex((l) => l.startsWith('export declare function clamp('));
    expect(specLine).toBeGreaterThan(0);
    expect(path.basename(map.sources[0]!)).toBe('math.ts');

    const start = js.findIndex((l) => l.startsWith('function clamp('));
    const end = js.findIndex((l, i) => i > start && l === '}');
    expect(start).toBeGreaterThan(0);
    for (let g = start; g < end; g++) {
      const mapped = lines[g]!.filter((s) => s.line !== undefined);
      expect({ line: js[g], mapped: mapped.length > 0 }).toEqual({ line: js[g], mapped: true });
      for (const seg of mapped) expect({ line: js[g], to: seg.line }).toEqual({ line: js[g], to: specLine });
    }
    // The user's own code still maps to its own lines.
    const userLine = js.findIndex((l) => l.startsWith('exports.early = clamp('));
    const userSource = cjs.read('src/math.ts').split('\n').findIndex((l) => l.startsWith('export const early'));
    expect(lines[userLine]!.some((s) => s.line === userSource)).toBe(true);
  });
});

describe('esm-nodenext through tspc', () => {
  test('builds from its committed cache without a diagnostic', () => {
    expectCleanBuild(esm);
  });

  test('prints the values of ESM, .mts, async, overloaded and .cts specs', async () => {
    expect(lastJsonLine(await esm.node('out/main.js'))).toEqual({ s: 'hello-world-2', l: 'x', n: 5.5, sum: 6, id: 36 });
  });

  test('emits the .cts spec as CommonJS and the .ts spec as an ES module', async () => {
    expect(esm.read('out/legacy.cjs')).toMatch(/exports\.sum = sum/);
    expect(esm.read('out/text.js')).toMatch(/^export function slugWithSuffix\(/m);
    const r = await esm.eval(`
      const { sum } = (await import('module')).createRequire(process.cwd() + '/')('./out/legacy.cjs');
      const { toNumber } = await import('./out/text.js');
      let error = '';
      try { toNumber('abc'); } catch (e) { error = e.constructor.name; }
      console.log(JSON.stringify({ sum: sum(), error }));`, { esm: true });
    expect(lastJsonLine(r)).toEqual({ sum: 0, error: 'TypeError' });
  });

  test('the .d.ts keeps both overloads of a spec and the JSDoc of the first', () => {
    expect(esm.read('out/text.d.ts')).toContain([
      ' * Throws TypeError when the string is not a finite number.',
      ' * @jaunt',
      ' */',
      'export declare function toNumber(x: string): number;',
      'export declare function toNumber(x: number): number;',
    ].join('\n'));
  });

  test('the source map of an ES module sends the spliced function back to its spec', () => {
    const js = esm.read('out/text.js').split('\n');
    const lines = decodeMappings((JSON.parse(esm.read('out/text.js.map')) as RawSourceMap).mappings);
    const specLine = esm.read('src/text.ts').split('\n').findIndex((l) => l.startsWith('export declare function later<T>('));
    const g = js.findIndex((l) => l.startsWith('export async function later('));
    expect(g).toBeGreaterThan(0);
    expect(lines[g]!.map((s) => s.line)).toContain(specLine);
  });
});

describe('name collisions between the spec file and its entries', () => {
  const expected = {
    early: sha1('early'),
    earlyJoined: 'x/y  ',
    userCreateHash: 'user:x',
    userPad: '[y]',
    md5: createHash('md5').update('z').digest('hex'),
    pad_1: 'user pad_1',
    label: 'L',
    base: 'b.txt',
    fp: `0000${sha1('abc')}`,
    jp: 'a/b   ',
  };

  test('the CommonJS build keeps the user\'s createHash, pad and imports apart from the entries\' and runs', async () => {
    expectCleanBuild(collideCjs);
    expect(lastJsonLine(await collideCjs.node('out/main.js'))).toEqual(expected);
  });

  test('the ESM build of the same sources and entries runs with the same results', async () => {
    expectCleanBuild(collideEsm);
    expect(collideEsm.read('out/collide.js')).toMatch(/^import /m);
    expect(lastJsonLine(await collideEsm.node('out/main.js'))).toEqual(expected);
  });

  test('the two entries\' `pad` helpers are renamed apart from each other and from the user\'s', () => {
    const js = collideCjs.read('out/collide.js');
    const pads = [...js.matchAll(/(?:function|const) (pad\w*)\b/g)].map((m) => m[1]);
    expect(new Set(pads).size).toBe(3);
    expect(pads).toContain('pad');
    expect(pads).not.toContain('pad_1'); // the user imports a pad_1 of their own
  });

  test('the entries\' helpers are declared above the code that calls the specs at module load', () => {
    for (const project of [collideCjs, collideEsm]) {
      const js = project.read('out/collide.js');
      const firstCall = js.indexOf("fingerprint('early')");
      const helper = js.search(/(?:function|const) pad_\d+\b/);
      expect(helper).toBeGreaterThan(0);
      expect(helper).toBeLessThan(firstCall);
    }
  });
});
