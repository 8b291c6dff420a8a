/**
 * Executable examples of cached code: every build checks them against what ships (remembering a pass),
 * `jaunt test` runs them all, and what the sandbox denies. Real compiler, real emitted JS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parseExamples } from '../behaviour/parse-examples';
import { writeEntry } from '../cache/cache-store';
import { OFFLINE } from '../cache/entry-format';
import { resolveOptions } from '../config/options';
import { analyzeProgram } from '../core/analyze-program';
import { authorOffline } from '../core/author-offline';
import { classifySpecs } from '../core/classify-specs';
import { loadProject } from '../core/load-program';
import { findSpecsInFile } from '../spec/find-specs';
import { fileVerdictStore, verdictDir, type VerdictStore } from '../validate/verdict-cache';
import { exampleLimitsOf } from '../behaviour/run-examples';
import { jaunt, parseJson, runNode } from './support/cli-project';
import { childEnv, tspc } from './support/fixture-project';
import { copyFixture, removeProject } from './support/temp-project';
import { writePluginEntry } from './support/entry-project';
import type { TestJson } from '../cli/json-shapes';

const memoryVerdicts = (): VerdictStore & { keys: Set<string> } => {
  const keys = new Set<string>();
  return { keys, has: (k) => keys.has(k), remember: (k) => void keys.add(k) };
};

function classify(dir: string, verdicts: VerdictStore = memoryVerdicts(), entry: Record<string, unknown> = {}) {
  const { program } = loadProject(ts, path.join(dir, 'tsconfig.json'));
  const analysis = analyzeProgram(ts, program, dir);
  const options = resolveOptions(entry, dir);
  return classifySpecs({ ts, program, analysis, cacheDir: options.cacheDir, missingHint: 'generate it', verdicts, exampleLimits: exampleLimitsOf(options) });
}

describe('examples of cached implementations', () => {
  let dir: string;
  const entryHash = (name: string) => classify(dir).statuses.find((s) => s.name === name)!.hash!;
  const cacheDir = () => path.join(dir, '.jaunt');
  const writeWrong = (name: string, file: string, body: string) =>
    writeEntry(cacheDir(), { name, hash: entryHash(name), file, model: OFFLINE, body }, { force: true });
  const build = () => tspc(['-p', dir], { cwd: dir, env: childEnv() });
  const runMain = () => runNode([path.join(dir, 'out', 'main.js')], { cwd: dir, env: childEnv() });

  beforeAll(() => {
    dir = copyFixture('examples', { withCache: false });
    expect(authorOffline(ts, path.join(dir, 'tsconfig.json'), path.join(dir, 'impl')).missing).toEqual([]);
  });
  afterAll(() => removeProject(dir));

  test('correct entries pass their examples, the build is green, and the emitted program runs', async () => {
    const c = classify(dir);
    expect(c.statuses.map((s) => [s.name, s.status, s.examplesPassed])).toEqual([
      ['crc32', 'fresh', 3], ['parseDuration', 'fresh', 7], ['parseFlags', 'fresh', 2], ['sortedUnique', 'fresh', 3],
      ['levenshtein', 'fresh', 3], ['closestWord', 'fresh', 2],
    ]);
    const r = await build();
    expect(r.stderr + r.stdout).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse((await runMain()).stdout)).toEqual({ timeout: 5_400_000, ids: [1, 3, 5], suggestion: 'status', crc: 'cbf43926' });
  });

  test('a check that passed is remembered: the next classification runs no example', () => {
    const verdicts = memoryVerdicts();
    expect(classify(dir, verdicts).exampleRuns.size).toBe(6);
    // One type-check verdict and one examples verdict per file.
    expect(verdicts.keys.size).toBe(10);
    expect(classify(dir, verdicts).exampleRuns.size).toBe(0);
  });

  test('an entry that breaks an example fails the build with JAUNT2012 and ships a function that throws', async () => {
    writeWrong('sortedUnique', 'src/list.ts', 'function sortedUnique(xs: readonly number[]): number[] {\n  return [...xs].sort();\n}\n');
    const c = classify(dir);
    const s = c.statuses.find((x) => x.name === 'sortedUnique')!;
    expect([s.status, s.staleBy]).toEqual(['stale', 'examples']);
    expect(s.reasons).toEqual([
      'example at src/list.ts:3: `sortedUnique([3, 1, 3, 2])` should be [ 1, 2, 3 ] but was [ 1, 2, 3, 3 ]',
      'example at src/list.ts:6: `sortedUnique(input)` should be [ 9, 10 ] but was [ 10, 9, 9, NaN ]',
    ]);
    const r = await build();
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/src\/list\.ts\(\d+,\d+\): error TS\d+: JAUNT2012: the cached implementation \.jaunt\/sortedUnique\.[0-9a-f]+\.ts of spec 'sortedUnique' fails its examples: example at src\/list\.ts:3/);
    const ran = await runMain();
    expect(ran.status).not.toBe(0);
    expect(ran.stderr).toMatch(/Jaunt has no implementation for spec 'sortedUnique': JAUNT2012/);
  });

  test('jaunt test lists each failing assertion with file:line, spec, expected and actual, and exits 1', async () => {
    const r = await jaunt(dir, ['test'], childEnv());
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✗ src/list.ts:3 sortedUnique `sortedUnique([3, 1, 3, 2])` expected [ 1, 2, 3 ] actual [ 1, 2, 3, 3 ]');
    expect(r.stdout).toContain('✗ 18 of 20 assertions passed in 6 specs');
    const json = parseJson<TestJson>((await jaunt(dir, ['test', '--json'], childEnv())).stdout);
    expect(json.ok).toBe(false);
    expect(json.counts).toEqual({ specs: 6, assertions: 20, passed: 18, failures: 2, notRun: 0 });
    const sorted = json.specs.find((s) => s.name === 'sortedUnique')!;
    expect(sorted.assertions[0]).toEqual({ line: 3, source: 'sortedUnique([3, 1, 3, 2])', ok: false, expected: '[ 1, 2, 3 ]', actual: '[ 1, 2, 3, 3 ]' });
    expect(sorted.assertions[2]).toEqual({ line: 7, source: 'input.length', ok: true, expected: null, actual: null });
  });

  test('a hand edit that breaks an example makes the entry broken, and jaunt test passes once it is fixed', async () => {
    authorOffline(ts, path.join(dir, 'tsconfig.json'), path.join(dir, 'impl'));
    const file = fs.readdirSync(cacheDir()).find((f) => f.startsWith('parseDuration.'))!;
    const text = fs.readFileSync(path.join(cacheDir(), file), 'utf8');
    fs.writeFileSync(path.join(cacheDir(), file), text.replace('throw new RangeError(`not a duration: ${text}`)', 'return NaN'));
    const s = classify(dir).statuses.find((x) => x.name === 'parseDuration')!;
    expect(s.status).toBe('broken');
    expect(s.reasons).toEqual(["example at src/duration.ts:15: `parseDuration('soon')` should throw RangeError but returned NaN"]);
    fs.writeFileSync(path.join(cacheDir(), file), text);
    const r = await jaunt(dir, ['test'], childEnv());
    expect(r.stdout.trim()).toBe('✓ 20 of 20 assertions passed in 6 specs');
    expect(r.status).toBe(0);
  });

  test('examples that pass under jaunt test are remembered on the machine: the build after it runs none of them again', async () => {
    // A limit no other run of the suite uses: it is part of the verdict's key, so nothing is remembered for it yet.
    const entry = { exampleTimeoutMs: 9_999 };
    const restore = writePluginEntry(dir, entry);
    try {
      const machine = fileVerdictStore(verdictDir(dir));
      expect(classify(dir, { has: (k) => machine.has(k), remember: () => undefined }, entry).exampleRuns.size).toBe(6);
      const r = await jaunt(dir, ['test'], childEnv());
      expect({ status: r.status, out: r.stdout.trim() }).toEqual({ status: 0, out: '✓ 20 of 20 assertions passed in 6 specs' });
      expect(classify(dir, machine, entry).exampleRuns.size).toBe(0);
    } finally {
      restore();
    }
  });

  test('an entry that never finishes loading fails jaunt test at the plugin entry\'s exampleTimeoutMs, naming the file', async () => {
    const restore = writePluginEntry(dir, { exampleTimeoutMs: 1000 });
    try {
      expect(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).toContain('"exampleTimeoutMs": 1000');
      const looping = fs.readFileSync(path.join(dir, 'impl', 'crc32.ts'), 'utf8').replace('for (let n = 0; n < 256; n++)', 'for (let n = 0; n < 256; n += 0)');
      expect(looping).toContain('n += 0');
      writeWrong('crc32', 'src/checksum.ts', looping);
      const r = await jaunt(dir, ['test'], childEnv());
      expect(r.status).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/src\/checksum\.ts did not finish within 1 s \(the sandbox's limit\)/);
    } finally {
      restore();
      authorOffline(ts, path.join(dir, 'tsconfig.json'), path.join(dir, 'impl'));
    }
  });
});

describe('the sandbox', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyFixture('examples', { withCache: false });
    for (const f of fs.readdirSync(path.join(dir, 'src'))) fs.rmSync(path.join(dir, 'src', f));
    fs.rmSync(path.join(dir, 'impl'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'impl'));
    fs.writeFileSync(path.join(dir, 'src', 'probe.ts'), [
      '/**',
      ' * Tries what a sandboxed example may not do and reports how each attempt ended.',
      ' * @example probe() // => ["write: ERR_ACCESS_DENIED", "spawn: ERR_ACCESS_DENIED", "worker: ERR_ACCESS_DENIED", "key: absent", "read outside: ERR_ACCESS_DENIED"]',
      ' * @jauntAllow fs subprocess env',
      ' * @jaunt',
      ' */',
      'export declare function probe(): string[];',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'impl', 'probe.ts'), [
      "import * as fs from 'node:fs';",
      "import * as os from 'node:os';",
      "import * as path from 'node:path';",
      "import { execFileSync } from 'node:child_process';",
      "import { Worker } from 'node:worker_threads';",
      '',
      'function attempt(label: string, act: () => unknown): string {',
      '  try {',
      '    act();',
      '    return `${label}: allowed`;',
      '  } catch (e) {',
      '    return `${label}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;',
      '  }',
      '}',
      '',
      'function probe(): string[] {',
      '  return [',
      "    attempt('write', () => fs.writeFileSync(path.join(os.tmpdir(), 'jaunt-probe.txt'), 'x')),",
      "    attempt('spawn', () => execFileSync('true')),",
      "    attempt('worker', () => new Worker('0', { eval: true })),",
      "    `key: ${process.env.ANTHROPIC_API_KEY === undefined ? 'absent' : 'present'}`,",
      "    attempt('read outside', () => fs.readFileSync('/etc/hostname')),",
      '  ];',
      '}',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'src', 'main.ts'), "import { probe } from './probe.js';\nconsole.log(probe().length);\n");
    authorOffline(ts, path.join(dir, 'tsconfig.json'), path.join(dir, 'impl'));
  });
  afterAll(() => removeProject(dir));

  test('denies file writes, child processes, workers and reads outside the project, and holds no API key', () => {
    const before = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-test-SANDBOX-KEY';
    try {
      const c = classify(dir);
      expect(c.statuses.map((s) => [s.name, s.status, s.reasons])).toEqual([['probe', 'fresh', []]]);
      expect(c.exampleRuns.get('src/probe.ts#probe')!.results.map((r) => r.ok)).toEqual([true]);
    } finally {
      if (before === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = before;
    }
  });
});

describe('reading @example assertions', () => {
  const doc = (lines: string[]) => `/**\n${lines.map((l) => ` * ${l}`).join('\n')}\n */`;
  const parse = (lines: string[]) => parseExamples(ts, doc(lines), 0, doc(lines));

  test('equality, throws with a message prefix, await and setup lines become steps; `//` inside strings is code', () => {
    const { examples, problems } = parse([
      'Joins paths.',
      "@example join('a//b', 'c') // => 'a//b/c'",
      '@example',
      '```ts',
      "const base: string = 'x'",
      "await joinAsync(base, 'y') // => 'x/y'",
      "join('', '') // throws RangeError: empty path",
      '```',
      '@example join(a, b) // documentation only, no assertion',
    ]);
    expect(problems).toEqual([]);
    expect(examples.map((e) => e.steps.map((s) => (s.kind === 'setup' ? ['setup', s.code] : [s.kind, s.source, s.line])))).toEqual([
      [['equals', "join('a//b', 'c')", 3]],
      [['setup', "const base: string = 'x'"], ['equals', "await joinAsync(base, 'y')", 7], ['throws', "join('', '')", 8]],
    ]);
    const thrown = examples[1]!.steps[2]!;
    expect(thrown.kind === 'throws' && [thrown.errorName, thrown.messagePrefix]).toEqual(['RangeError', 'empty path']);
  });

  test('an assertion that cannot run is a JAUNT1017 error naming the spec, the line and the fix', () => {
    const text = [
      '/**',
      ' * Rounds to cents.',
      ' * @example roundCents(1.005) // => 1.01 (banker\'s rounding aside)',
      ' * @example roundCents(2) // throws',
      ' * @jaunt',
      ' */',
      'export declare function roundCents(n: number): number;',
    ].join('\n');
    const sf = ts.createSourceFile('/p/src/money.ts', text, ts.ScriptTarget.Latest, true);
    const scan = findSpecsInFile(ts, sf);
    expect(scan.specs).toEqual([]);
    expect(scan.diagnostics.filter((d) => d.code === 1017).map((d) => [d.location?.line, d.message])).toEqual([
      [3, expect.stringMatching(/^an @example of spec 'roundCents' cannot run: the expected value `1\.01 \(banker's rounding aside\)` after `\/\/ =>` is not an expression .*drop the `=>` to keep the line as documentation$/)],
      [4, "an @example of spec 'roundCents' cannot run: `// throws` must name an error class, e.g. `// throws RangeError` or `// throws RangeError: userId`"],
    ]);
  });
});
