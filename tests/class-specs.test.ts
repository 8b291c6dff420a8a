/**
 * Whole-class specs: `declare class` with member contracts, generated through the fake server with the
 * real SDK, checked member by member against the declaration, spliced in place, and run in CommonJS and
 * ESM. The answers in fixtures/classes/impl are written as a strong model writes them: private `#fields`,
 * private methods, helpers, module constants, overloads, generators, async methods, a base class.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { resolveOptions } from '../config/options';
import { analyzeProgram, type ProgramAnalysis } from '../core/analyze-program';
import { loadProject } from '../core/load-program';
import { generateImplementations } from '../generate/engine';
import type { GenerationEvent } from '../generate/generation-events';
import { createValidator } from '../validate/validate-candidate';
import { code, startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from './support/fake-anthropic';
import { jaunt, runNode } from './support/cli-project';
import { childEnv, tspc } from './support/fixture-project';
import { cleanEnv } from './support/spawn-async';
import { runtimes, TS_VERSIONS } from './support/runtimes';
import { copyFixture, removeProject } from './support/temp-project';
import { CLASSES_RUN } from './support/classes-fixture';

const KEY = 'sk-ant-test-CLASSES-51c9';
const IMPL = path.join(__dirname, '..', 'fixtures', 'classes', 'impl');
const implOf = (spec: string) => fs.readFileSync(path.join(IMPL, `${spec}.ts`), 'utf8');
const told = (r: RecordedRequest): string => JSON.stringify(r.body?.messages ?? []);
const SPECS = ['CurrencyMismatch', 'Door', 'LRUCache', 'Money', 'TokenBucket', 'TypedEmitter', 'groupThousands', 'total'];

interface Project {
  dir: string;
  program: ts.Program;
  analysis: ProgramAnalysis;
}

function open(dir: string): Project {
  const { program } = loadProject(ts, path.join(dir, 'tsconfig.json'));
  return { dir, program, analysis: analyzeProgram(ts, program, dir) };
}

function fixture(format: 'commonjs' | 'module'): string {
  const dir = copyFixture('classes', { withCache: false });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fixture-classes', private: true, type: format }));
  return dir;
}

async function generateAll(p: Project, server: FakeAnthropic, events: GenerationEvent[] = [], names = SPECS) {
  return generateImplementations({
    ts, program: p.program, analysis: p.analysis, apiKey: KEY, onEvent: (e) => events.push(e),
    options: { ...resolveOptions({}, p.dir), baseURL: server.url },
    specs: p.analysis.specs.filter((s) => names.includes(s.ir.name)),
  });
}

const entryOf = (dir: string, name: string): string => {
  const file = fs.readdirSync(path.join(dir, '.jaunt')).find((f) => f.startsWith(`${name}.`) && f.endsWith('.ts'))!;
  return fs.readFileSync(path.join(dir, '.jaunt', file), 'utf8');
};

describe.each(['commonjs', 'module'] as const)('class specs (package type %s)', (format) => {
  let dir: string;
  let server: FakeAnthropic;
  beforeAll(async () => {
    dir = fixture(format);
    server = await startFakeAnthropic();
  });
  afterAll(async () => {
    await server.close();
    removeProject(dir);
  });

  test('five class specs and the functions around them are generated once each, pass their member examples, and the emitted program runs', async () => {
    const p = open(dir);
    expect(p.analysis.diagnostics).toEqual([]);
    expect(p.analysis.specs.map((s) => s.ir.name).sort()).toEqual(SPECS);
    for (const name of SPECS) server.script(name, code(implOf(name)));
    const report = await generateAll(p, server);
    expect(Object.fromEntries(report.outcomes.map((o) => [o.name, [o.status, o.attempts]]))).toEqual(
      Object.fromEntries(SPECS.map((n) => [n, ['generated', 1]])));
    expect(server.requests).toHaveLength(SPECS.length);

    // The class prompt is the class's: its members' contracts, and the rules for a class.
    const moneyAsk = server.requests.find((r) => r.spec === 'Money')!;
    expect(moneyAsk.body?.system).toEqual(expect.stringContaining('Define `class Money` as a top-level class declaration'));
    expect(told(moneyAsk)).toContain('static parse(text: string): Money;');
    expect(told(moneyAsk)).toContain("Money.parse('EUR 1.234') // throws SyntaxError");
    // A method calls a spec function and throws a spec class: both are dependencies, asked for first.
    const order = server.requests.map((r) => r.spec);
    expect(order.indexOf('Money')).toBeGreaterThan(order.indexOf('groupThousands'));
    expect(order.indexOf('Money')).toBeGreaterThan(order.indexOf('CurrencyMismatch'));
    expect(order.indexOf('total')).toBeGreaterThan(order.indexOf('Money'));

    // Member examples run against constructed instances: LRUCache has 3 on members, 4 on the class.
    expect(entryOf(dir, 'LRUCache')).toMatch(/ \* examples: 6 passed\n/);
    expect(entryOf(dir, 'TokenBucket')).toMatch(/ \* examples: 10 passed\n/);
    expect(entryOf(dir, 'Money')).toMatch(/ \* examples: 6 passed\n/);

    const build = await tspc(['-p', dir], { cwd: dir, env: childEnv() });
    expect(build.stdout + build.stderr).not.toMatch(/error|JAUNT/);
    expect(build.status).toBe(0);
    const ran = await runNode([path.join(dir, 'out', 'main.js')], { cwd: dir, env: cleanEnv() });
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual(CLASSES_RUN);

    // The class is in its place, in the file's module format; the declaration file keeps the declaration.
    const lruJs = fs.readFileSync(path.join(dir, 'out', 'lru.js'), 'utf8');
    expect(lruJs).toMatch(format === 'module' ? /^export class LRUCache \{/m : /^class LRUCache \{/m);
    if (format === 'commonjs') expect(lruJs).toMatch(/^exports\.LRUCache = LRUCache;/m);
    expect(lruJs).toContain('#entries');
    const lruDts = fs.readFileSync(path.join(dir, 'out', 'lru.d.ts'), 'utf8');
    expect(lruDts).toContain('export declare class LRUCache<K, V> implements Iterable<[K, V]> {');
    expect(lruDts).toContain('get(key: K, fallback: V): V;');
    expect(lruDts).not.toContain('#entries');
  });

  test('the bundler plugin splices the same classes: an esbuild bundle of the program runs', async () => {
    const outfile = path.join(dir, 'out', 'bundle.cjs');
    // unplugin ships ES modules only: the build runs as a script, as a user's would.
    const script = path.join(dir, 'esbuild.mjs');
    fs.writeFileSync(script, [
      "import * as esbuild from 'esbuild';", "import jaunt from 'jaunt-ts/esbuild';",
      `await esbuild.build({ entryPoints: ['src/main.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: ${JSON.stringify(outfile)}, logLevel: 'error', plugins: [jaunt({ tsconfig: 'tsconfig.json' })] });`,
    ].join('\n'));
    const built = await runNode([script], { cwd: dir, env: cleanEnv() });
    expect(built.stderr).toBe('');
    const bundle = fs.readFileSync(outfile, 'utf8');
    expect(bundle).toMatch(/#entries = (\/\* @__PURE__ \*\/ )?new Map\(\);/);
    expect(bundle).not.toContain('Jaunt has no implementation');
    const ran = await runNode([outfile], { cwd: dir, env: cleanEnv() });
    expect(JSON.parse(ran.stdout)).toEqual(CLASSES_RUN);
  });

  test('eject writes the class in place of its declaration, with every member contract on its member', async () => {
    const ejected = await jaunt(dir, ['eject', 'Door']);
    expect(ejected.stdout).toMatch(/ejected Door into src\/door\.ts/);
    const door = fs.readFileSync(path.join(dir, 'src', 'door.ts'), 'utf8');
    expect(door).not.toMatch(/declare class|@jaunt/);
    expect(door).toMatch(/ \* door\.history \/\/ => \['closed', 'locked'\]\n \*\/\nexport class Door \{\n {2}#state: DoorState;/);
    expect(door).toMatch(/ {2}\/\*\* Whether `event` is allowed in the current state\. \*\/\n {2}can\(event: DoorEvent\): boolean \{/);
    expect(door).toMatch(/ {3}\* log \/\/ => \['open-close->closed'\]\n {3}\*\/\n {2}onTransition\(listener: Listener\): \(\) => void \{/);
    const build = await tspc(['-p', dir], { cwd: dir, env: childEnv() });
    expect(build.status).toBe(0);
    const ran = await runNode([path.join(dir, 'out', 'main.js')], { cwd: dir, env: cleanEnv() });
    expect(JSON.parse(ran.stdout)).toEqual(CLASSES_RUN);
  });

  test('status names the member whose contract changed, and a missing class ships a stand-in that throws the build error', async () => {
    const before = await jaunt(dir, ['status', '--json']);
    expect(before.status).toBe(0);
    const lru = path.join(dir, 'src', 'lru.ts');
    fs.writeFileSync(lru, fs.readFileSync(lru, 'utf8').replace('/** Whether `key` is held; does not change the order. */', '/** Whether `key` is held (and not expired); does not change the order. */'));
    const after = await jaunt(dir, ['status']);
    expect(after.stdout).toMatch(/LRUCache\s+stale: member has changed\n/);

    const build = await tspc(['-p', dir], { cwd: dir, env: childEnv() });
    expect(build.stdout).toMatch(/JAUNT2001.*spec 'LRUCache'.*member has changed/);
    // The stand-in has the declared surface (main.ts type-checks against it) and throws when constructed.
    const ran = await runNode([path.join(dir, 'out', 'main.js')], { cwd: dir, env: cleanEnv() });
    expect(ran.status).not.toBe(0);
    expect(ran.stderr).toMatch(/Error: Jaunt has no implementation for spec 'LRUCache': JAUNT2001/);
  });
});

describe('class conformance is checked member by member', () => {
  let p: Project;
  const good = implOf('LRUCache');
  const errorsOf = (body: string): string[] => {
    const v = createValidator(ts, p.program, p.analysis);
    const r = v.validate(p.analysis.specs.find((s) => s.ir.name === 'LRUCache')!, body);
    return r.ok ? [] : r.errors;
  };
  beforeAll(() => {
    p = open(fixture('commonjs'));
  });
  afterAll(() => removeProject(p.dir));

  test('the right answer passes', () => {
    expect(errorsOf(good)).toEqual([]);
  });

  test('a method whose parameter is narrower than declared is rejected, although method bivariance would let it through', () => {
    const narrow = good.replace('set(key: K, value: V): this {', 'set(key: K, value: V & string): this {');
    expect(narrow).not.toBe(good);
    expect(errorsOf(narrow)).toEqual([expect.stringMatching(/^member `set` does not match its declaration `set\(key: K, value: V\): this`: TS2322: .*Type 'V' is not assignable to type 'V & string'/)]);
  });

  test('a missing member is named', () => {
    const missing = good.replace(/ {2}has\(key: K\): boolean \{\n.*\n {2}\}\n/, '');
    expect(missing).not.toBe(good);
    expect(errorsOf(missing)).toEqual([expect.stringMatching(/^member `has` does not match its declaration `has\(key: K\): boolean`: TS2339: Property 'has' does not exist/)]);
  });

  test('a public member beyond the declaration is named, and so is a public static one', () => {
    const extra = good.replace('  has(key: K): boolean {', '  peek(key: K): V | undefined {\n    return this.#entries.get(key);\n  }\n\n  has(key: K): boolean {');
    expect(errorsOf(extra)).toEqual([expect.stringMatching(/^the class has public members its declaration does not have .*: TS2322: .*\{ undeclaredPublicMembers: "peek"; \}/)]);
    const extraStatic = good.replace('  get capacity(): number {', '  static of(): LRUCache<string, string> {\n    return new LRUCache(1);\n  }\n\n  get capacity(): number {');
    expect(errorsOf(extraStatic)).toEqual([expect.stringMatching(/^the class has public static members .*\{ undeclaredPublicMembers: "of"; \}/)]);
  });

  test('a writable accessor implemented read-only, a wrong constructor, a private member and a wrong base class are each named', () => {
    const readOnly = good.replace(/ {2}set capacity\(value: number\) \{\n.*\n.*\n {2}\}\n/, '');
    expect(errorsOf(readOnly)).toEqual([expect.stringMatching(/^member `capacity` does not match its declaration `get capacity\(\): number; set capacity\(value: number\)`: it must be writable: TS2540/)]);
    const ctor = good.replace('constructor(capacity: number,', 'constructor(capacity: string,').replace('assertCapacity(capacity)', 'assertCapacity(Number(capacity))');
    expect(errorsOf(ctor)).toEqual([expect.stringMatching(/^the constructor does not match its declaration `constructor\(capacity: number, onEvict\?: \(key: K, value: V\) => void\)`: TS2322/)]);
    const hidden = good.replace('  has(key: K): boolean {', '  private has(key: K): boolean {');
    expect(errorsOf(hidden)).toEqual([expect.stringMatching(/^member `has` .*TS2341: Property 'has' is private/)]);
    const based = good.replace('class LRUCache<K, V> implements', 'class LRUCache<K, V> extends Map<K, V> implements');
    expect(errorsOf(based)[0]).toBe('class LRUCache must not extend `Map<K, V>`: its declaration has no base class');
  });

  test('an answer that defines a function instead of the class is told to define the class', () => {
    expect(errorsOf('function LRUCache(): void {}\n')).toEqual(['`LRUCache` is defined as a function or variable; define it as a class declaration `class LRUCache { ... }` instead']);
  });

  test('through the engine, an answer missing a member is rejected with the member named, and the repair turn is accepted', async () => {
    const server = await startFakeAnthropic();
    try {
      const missing = good.replace(/ {2}delete\(key: K\): boolean \{\n.*\n {2}\}\n/, '');
      server.script('LRUCache', code(missing), code(good));
      const events: GenerationEvent[] = [];
      const report = await generateAll(p, server, events, ['LRUCache']);
      expect(report.outcomes.map((o) => [o.status, o.attempts])).toEqual([['generated', 2]]);
      expect(told(server.requests[1]!)).toContain('member `delete` does not match its declaration `delete(key: K): boolean`: TS2339');
    } finally {
      await server.close();
    }
  });
});

describe.each(TS_VERSIONS)('class specs with TypeScript %s', (version) => {
  test('the member checks name the same members, and member examples run', () => {
    const tsv = require(runtimes().typescript(version)) as typeof ts;
    const dir = fixture('commonjs');
    try {
      const { program } = loadProject(tsv, path.join(dir, 'tsconfig.json'));
      const analysis = analyzeProgram(tsv, program, dir);
      expect(analysis.diagnostics).toEqual([]);
      const v = createValidator(tsv, program, analysis);
      const spec = (name: string) => analysis.specs.find((s) => s.ir.name === name)!;
      const good = implOf('LRUCache');
      expect(v.validate(spec('LRUCache'), good)).toMatchObject({ ok: true });
      const narrow = v.validate(spec('LRUCache'), good.replace('set(key: K, value: V): this {', 'set(key: K, value: V & string): this {'));
      expect(narrow.ok ? [] : narrow.errors).toEqual([expect.stringMatching(/^member `set` does not match its declaration/)]);
      const extra = v.validate(spec('LRUCache'), good.replace('  has(key: K): boolean {', '  peek(): void {}\n\n  has(key: K): boolean {'));
      expect(extra.ok ? [] : extra.errors).toEqual([expect.stringMatching(/\{ undeclaredPublicMembers: "peek"; \}/)]);
      expect(v.checkBehaviourSync(spec('Door'), implOf('Door'))).toEqual({ ok: true, passed: 5 });
    } finally {
      removeProject(dir);
    }
  });
});

describe('member examples are part of the contract', () => {
  test('an answer that breaks an example written on a member is rejected with that example, expected and actual', async () => {
    const p = open(fixture('module'));
    const server = await startFakeAnthropic();
    try {
      const good = implOf('TypedEmitter');
      const leaky = good.replace('      this.#remove(event, (r) => r === registration);\n    };', '      void registration;\n    };');
      expect(leaky).not.toBe(good);
      server.script('TypedEmitter', code(leaky), code(good));
      const events: GenerationEvent[] = [];
      const report = await generateAll(p, server, events, ['TypedEmitter']);
      expect(report.outcomes.map((o) => [o.status, o.attempts])).toEqual([['generated', 2]]);
      const rejected = events.flatMap((e) => (e.type === 'rejected' ? e.errors : []));
      expect(rejected).toEqual(["example at src/emitter.ts:28: `e.listenerCount('ping')` should be 0 but was 1"]);
    } finally {
      await server.close();
      removeProject(p.dir);
    }
  });
});

describe('class spec shape', () => {
  const diagnosticsOf = (files: Record<string, string>) => {
    const dir = copyFixture('classes', { withCache: false });
    try {
      for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
      return open(dir).analysis.diagnostics.map((d) => ({ code: d.code, line: d.location?.line, message: d.message }));
    } finally {
      removeProject(dir);
    }
  };

  test('a class used when the module loads, above its declaration, is reported with where to move it', () => {
    const door = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'classes', 'src', 'door.ts'), 'utf8');
    const early = door.replace("export type DoorEvent = 'open' | 'close' | 'lock' | 'unlock';", "export type DoorEvent = 'open' | 'close' | 'lock' | 'unlock';\nexport const frontDoor = new Door();\nexport const later = () => new Door();");
    expect(diagnosticsOf({ 'src/door.ts': early })).toEqual([{
      code: 1031, line: 3,
      message: expect.stringMatching(/^class spec 'Door' is used at line 3 when the module loads, above its declaration \(line \d+\): .* Move the declaration of 'Door' above line 3$/),
    }]);
  });

  test('abstract classes, private declared members and untyped members are refused before any request', () => {
    const text = [
      '/**\n * A shape.\n * @jaunt\n */\nexport declare abstract class Shape {\n  /** Area. */\n  area(): number;\n}',
      '/**\n * A counter.\n * @jaunt\n */\nexport declare class Counter {\n  private n: number;\n  /** Adds one. */\n  inc();\n  [key: string]: unknown;\n}',
    ].join('\n');
    expect(diagnosticsOf({ 'src/shapes.ts': text }).map((d) => [d.code, d.message.replace(/ \(`.*$/, '')])).toEqual([
      [1030, "class spec 'Shape' is abstract: Jaunt implements classes that can be constructed; declare the concrete class, or write the abstract base yourself"],
      [1030, "class spec 'Counter' declares member 'n' of class spec 'Counter' as private or protected: the declaration is the public contract; the implementation keeps its own private state, so remove it"],
      [1005, "member 'inc' of class spec 'Counter' has no return type: write the type it returns (the contract must be checkable)"],
      [1030, "class spec 'Counter' has an index signature"],
    ]);
  });
});
