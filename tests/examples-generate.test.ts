/**
 * Executable examples while generating: every candidate runs its spec's `@example` assertions in a
 * sandboxed child, against the file as it would ship, before it is cached. Through the fake server with
 * the real SDK, in CommonJS and ESM.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { resolveOptions } from '../config/options';
import { analyzeProgram, type ProgramAnalysis } from '../core/analyze-program';
import { loadProject } from '../core/load-program';
import { writeEntry } from '../cache/cache-store';
import { OFFLINE } from '../cache/entry-format';
import { generateImplementations } from '../generate/engine';
import type { GenerationEvent } from '../generate/generation-events';
import { code, startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from './support/fake-anthropic';
import { runNode, tspc } from './support/cli-project';
import { cleanEnv } from './support/spawn-async';
import { copyFixture, removeProject } from './support/temp-project';

const KEY = 'sk-ant-test-EXAMPLES-7f3a';
const IMPL = path.join(__dirname, '..', 'fixtures', 'examples', 'impl');
const good = (spec: string) => code(fs.readFileSync(path.join(IMPL, `${spec}.ts`), 'utf8'));

/** Everything the model was told in a request: the prompt and every later turn. */
const told = (r: RecordedRequest): string => JSON.stringify(r.body?.messages ?? []);

interface Project {
  dir: string;
  analysis: ProgramAnalysis;
  program: ts.Program;
}

function openFixture(format: 'commonjs' | 'module'): Project {
  const dir = copyFixture('examples', { withCache: false });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fixture-examples', private: true, type: format }));
  const { program } = loadProject(ts, path.join(dir, 'tsconfig.json'));
  return { dir, program, analysis: analyzeProgram(ts, program, dir) };
}

describe.each(['commonjs', 'module'] as const)('examples gate generation (package type %s)', (format) => {
  let p: Project;
  let server: FakeAnthropic;
  let events: GenerationEvent[];
  const generate = (names: string[], entry: Record<string, unknown> = {}) => generateImplementations({
    ts, program: p.program, analysis: p.analysis, apiKey: KEY, onEvent: (e) => events.push(e),
    options: { ...resolveOptions(entry, p.dir), baseURL: server.url },
    specs: p.analysis.specs.filter((s) => names.includes(s.ir.name)),
  });
  const entryOf = (name: string) => {
    const file = fs.readdirSync(path.join(p.dir, '.jaunt')).find((f) => f.startsWith(`${name}.`));
    return file === undefined ? undefined : fs.readFileSync(path.join(p.dir, '.jaunt', file), 'utf8');
  };
  const spec = (name: string) => p.analysis.specs.find((s) => s.ir.name === name)!;
  const rejections = (spec: string) => events.flatMap((e) => (e.type === 'rejected' && e.spec === spec ? [e.errors] : []));

  beforeAll(() => {
    p = openFixture(format);
  });
  afterAll(() => removeProject(p.dir));
  beforeEach(async () => {
    server = await startFakeAnthropic();
    events = [];
  });
  afterEach(() => server.close());

  test('a first answer that breaks an example is rejected, and the retry shows the model the example, the expected and the actual value', async () => {
    const unsorted = 'function sortedUnique(xs: readonly number[]): number[] {\n  return [...new Set(xs.filter((x) => !Number.isNaN(x)))];\n}\n';
    server.script('sortedUnique', code(unsorted), good('sortedUnique'));
    const report = await generate(['sortedUnique']);
    expect(report.outcomes.map((o) => o.status)).toEqual(['generated']);
    expect(server.requests).toHaveLength(2);
    expect(rejections('sortedUnique')).toEqual([[
      'example at src/list.ts:3: `sortedUnique([3, 1, 3, 2])` should be [ 1, 2, 3 ] but was [ 3, 1, 2 ]',
      'example at src/list.ts:6: `sortedUnique(input)` should be [ 9, 10 ] but was [ 10, 9 ]',
    ]]);
    expect(told(server.requests[1]!)).toContain('`sortedUnique([3, 1, 3, 2])` should be [ 1, 2, 3 ] but was [ 3, 1, 2 ]');
    // Three assertions, the setup line `const input = ...` and the check that the input was not modified.
    expect(entryOf('sortedUnique')).toMatch(/ \* examples: 3 passed\n/);
  });

  test('examples run in the real module context: the file\'s imports and the cached implementations of other specs', async () => {
    server.script('levenshtein', good('levenshtein'));
    server.script('closestWord', good('closestWord'));
    server.script('parseDuration', good('parseDuration'));
    const report = await generate(['levenshtein', 'closestWord', 'parseDuration']);
    expect(Object.fromEntries(report.outcomes.map((o) => [o.name, [o.status, o.attempts]]))).toEqual({
      levenshtein: ['generated', 1], closestWord: ['generated', 1], parseDuration: ['generated', 1],
    });
    expect(entryOf('parseDuration')).toMatch(/ \* examples: 7 passed\n/);
    expect(entryOf('closestWord')).toMatch(/ \* examples: 2 passed\n/);
  });

  test('a candidate\'s examples run against the cached implementation of its dependency, not a stand-in', async () => {
    // Wrong, but not in a way levenshtein's own examples would see here: it is never run for them.
    const lengthGap = 'function levenshtein(a: string, b: string): number {\n  return a === b ? 0 : Math.abs(a.length - b.length);\n}\n';
    writeEntry(resolveOptions({}, p.dir).cacheDir, { name: 'levenshtein', hash: spec('levenshtein').hash!, file: 'src/text.ts', model: OFFLINE, body: lengthGap });
    server.script('closestWord', good('closestWord'), good('closestWord'), good('closestWord'));
    const report = await generate(['closestWord']);
    expect(report.outcomes.map((o) => o.status)).toEqual(['failed']);
    expect(rejections('closestWord')[0]).toEqual([
      "example at src/text.ts:17: `closestWord('xyz', commands)` should be undefined but was 'build'",
    ]);
  });

  test('an answer that loops forever while its module loads is a failed attempt, ended by the sandbox\'s limit (exampleTimeoutMs)', async () => {
    const looping = fs.readFileSync(path.join(IMPL, 'crc32.ts'), 'utf8').replace('for (let n = 0; n < 256; n++)', 'for (let n = 0; n < 256; n += 0)');
    expect(looping).toContain('n += 0');
    server.script('crc32', code(looping), good('crc32'));
    const report = await generate(['crc32'], { exampleTimeoutMs: 1500 });
    expect(report.outcomes.map((o) => [o.status, o.attempts])).toEqual([['generated', 2]]);
    expect(rejections('crc32')).toEqual([[expect.stringMatching(/^loading src\/checksum\.ts did not finish within 1\.5 s \(the sandbox's limit\)/)]]);
    expect(entryOf('crc32')).toMatch(/ \* examples: 3 passed\n/);
  });

  test('an answer that calls process.exit is a failed attempt and the build goes on', async () => {
    const exiting = fs.readFileSync(path.join(IMPL, 'parseFlags.ts'), 'utf8')
      .replace(/if \(!match\) throw new TypeError\(([^;]*)\);/, 'if (!match) process.exit(2);');
    expect(exiting).toContain('process.exit(2)');
    server.script('parseFlags', code(exiting), good('parseFlags'));
    const report = await generate(['parseFlags']);
    expect(report.outcomes.map((o) => [o.status, o.attempts])).toEqual([['generated', 2]]);
    expect(rejections('parseFlags')).toEqual([[
      "example at src/flags.ts:7 ended the process (exit code 2): code that calls process.exit or crashes ends the run",
    ]]);
  });
});

describe('examples gate generation inside tspc (the synckit worker runs the sandbox)', () => {
  let dir: string;
  let server: FakeAnthropic;
  beforeAll(async () => {
    dir = copyFixture('examples', { withCache: false });
    server = await startFakeAnthropic();
  });
  afterAll(async () => {
    await server.close();
    removeProject(dir);
  });

  test('a build rejects the answer that breaks an example, asks again, caches the right one and emits a program that runs', async () => {
    const wrong = fs.readFileSync(path.join(IMPL, 'parseDuration.ts'), 'utf8').replace('parseFloat(match[1]!) * factor', 'parseInt(match[1]!, 10) * factor');
    expect(wrong).toContain('parseInt(');
    server.script('parseDuration', code(wrong), good('parseDuration'));
    server.fallback((req) => (req.spec ? good(req.spec) : undefined));
    const r = await tspc(['-p', dir], { cwd: dir, env: cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url }), timeoutMs: 200_000 });
    expect(r.stderr).toMatch(/jaunt: generated 6, reused 0, failed 0/);
    expect(r.status).toBe(0);
    const asked = server.requests.filter((q) => q.spec === 'parseDuration');
    expect(asked).toHaveLength(2);
    expect(told(asked[1]!)).toContain("`parseDuration('2.5 hrs')` should be 9000000 but was 7200000");
    const ran = await runNode([path.join(dir, 'out', 'main.js'), '--timeout=2.5s'], { cwd: dir, env: cleanEnv() });
    expect(JSON.parse(ran.stdout)).toEqual({ timeout: 2500, ids: [1, 3, 5], suggestion: 'status', crc: 'cbf43926' });
  });
});
