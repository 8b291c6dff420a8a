/**
 * Test specs (`@jauntTest`): Jaunt writes a jest test from the contracts of the specs it links, caches it,
 * and jaunt-ts/jest turns it into a test case. Through the fake model server, the real compiler and a real
 * jest run of fixtures/test-specs: the generated tests pass against correct entries and catch a wrong one
 * whose examples pass, which `jaunt test` reports as a suspect test naming both sides.
 */
import * as fs from 'node:fs';
import * as ts from 'typescript';
import type { StatusJson, TestJson } from '../cli/json-shapes';
import { analyzeProgram } from '../core/analyze-program';
import { Codes } from '../core/errors';
import { testTitle } from '../spec-kinds/test-spec/test-title';
import { code, startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic';
import { jaunt as jauntIn } from './support/cli-project';
import { cleanEnv } from './support/spawn-async';
import { FixtureProject, IN_MEMORY_ROOT, JEST, NESTED_JEST_MS, childEnv, inMemoryProgram, run, type RunResult } from './support/fixture-project';

const KEY = 'sk-ant-test-specs-KEY77';

interface JestJson {
  success: boolean;
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

let project: FixtureProject;
let server: FakeAnthropic;

const answer = (name: string) => code(project.read(`answers/${name}.ts`));
const jaunt = (args: string[], env: NodeJS.ProcessEnv = childEnv()): Promise<RunResult> => jauntIn(project.dir, args, env);

let jestRuns = 0;
async function jest(): Promise<{ run: RunResult; verdicts: string[]; failures: Map<string, string> }> {
  const results = project.path(`results-${++jestRuns}.json`);
  const r = await run(process.execPath, [
    JEST, '--rootDir', project.dir, '--config', project.path('jest.config.js'),
    '--ci', '--no-cache', '--no-watchman', '--json', '--outputFile', results,
  ], { cwd: project.dir, env: childEnv(), timeoutMs: NESTED_JEST_MS });
  if (!fs.existsSync(results)) throw new Error(`jest wrote no results (exit ${r.status}):\n${r.output}`);
  const json = JSON.parse(fs.readFileSync(results, 'utf8')) as JestJson;
  const all = json.testResults.flatMap((t) => t.assertionResults);
  const verdicts = all.map((a) => `${a.status}: ${a.title}`).sort();
  return { run: r, verdicts, failures: new Map(all.filter((a) => a.failureMessages.length).map((a) => [a.title, a.failureMessages.join('\n')])) };
}

const SORTED_TITLE = 'sortedUnique sorts numerically, not as text, and drops every duplicate';
const CHUNK_TITLE = 'chunk keeps every item in order and rejects sizes that are not positive integers';
const HAND_TITLE = 'a hand-written test beside the generated ones still runs';

beforeAll(async () => {
  project = FixtureProject.copy('test-specs');
  expect(project.authorOffline()).toEqual({ written: ['sortedUnique', 'chunk'], missing: ['testSortedUnique', 'testChunk'] });
  server = await startFakeAnthropic();
});
afterAll(async () => {
  await server?.close();
  project?.cleanup();
});

describe('a @jauntTest spec', () => {
  test('jaunt build writes each test from the linked contracts only, and a test that does not type-check in the test file is asked again', async () => {
    // The first answer for testChunk calls chunk without its size: the compiler rejects it in list.test.ts.
    server.script('testChunk', code(project.read('answers/testChunk.ts').replace('chunk(LETTERS, 7)', 'chunk(LETTERS)')), answer('testChunk'));
    server.script('testSortedUnique', answer('testSortedUnique'));
    const r = await jaunt(['build'], cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url }));
    expect({ status: r.status, output: r.status === 0 ? '' : r.output }).toEqual({ status: 0, output: '' });
    expect(server.requests.map((q) => q.spec).sort()).toEqual(['testChunk', 'testChunk', 'testSortedUnique']);
    expect(server.pending().size).toBe(0);

    const sorted = server.requests.find((q) => q.spec === 'testSortedUnique')!.userText;
    // The contract of the spec under test, with its examples; never its implementation.
    expect(sorted).toContain('The distinct numbers of `values`, in ascending numeric order.');
    expect(sorted).toContain('export declare function sortedUnique(values: readonly number[]): number[];');
    expect(sorted).not.toMatch(/ascending\(a: number|new Set\(values\)/);
    expect(sorted).not.toContain('chunk size must be');
    const retry = server.requests.filter((q) => q.spec === 'testChunk')[1]!.turnsText;
    expect(retry).toMatch(/That answer was rejected[\s\S]*TS2554: Expected 2 arguments, but got 1/);

    const entry = project.read(project.entryOf('testChunk'));
    expect(entry).toMatch(/^ \* model: claude-[\w.-]+$/m);
    expect(entry).toMatch(/^ \* attempts: 2$/m);
    expect(entry).toContain('expect(() => chunk(LETTERS, size)).toThrow(RangeError);');
  });

  test('jest runs each generated test as a test case titled by the first sentence of its JSDoc, passing against correct entries', async () => {
    const { run: r, verdicts } = await jest();
    expect({ verdicts, output: r.status === 0 ? '' : r.output.slice(-3000) }).toEqual({
      verdicts: [`passed: ${HAND_TITLE}`, `passed: ${CHUNK_TITLE}`, `passed: ${SORTED_TITLE}`].sort(), output: '',
    });
    expect(r.output).not.toMatch(/JAUNT\d{4}/);
  }, NESTED_JEST_MS + 20_000);

  test('a wrong entry whose examples pass fails the generated test under jest', async () => {
    expect(project.authorOffline('tsconfig.json', 'impl-wrong').written).toEqual(['sortedUnique']);
    const { run: r, verdicts, failures } = await jest();
    expect(verdicts).toEqual([
      `failed: ${SORTED_TITLE}`,
      `passed: ${HAND_TITLE}`,
      `passed: ${CHUNK_TITLE}`,
    ].sort());
    // The first expectation: [10, 9, 100, 9] sorted as text puts 9 last.
    expect(failures.get(SORTED_TITLE)).toMatch(/expect\(received\)\.toEqual\(expected\)[\s\S]*-\s+9,\s+10,\s+100,\s+\+\s+9,/);
    expect(r.status).toBe(1);
  }, NESTED_JEST_MS + 20_000);

  test('jaunt test reports it as a suspect test, with the failing expectation and the examples the implementation passes', async () => {
    const r = await jaunt(['test', '--json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as TestJson;
    // The examples, written by a person, pass: only the generated test disagrees.
    expect(json.counts).toMatchObject({ failures: 0, notRun: 0, tests: 2, testsPassed: 1, suspectTests: 1 });
    const suspect = json.tests!.find((t) => t.name === 'testSortedUnique')!;
    expect(suspect).toMatchObject({ state: 'suspect', code: 'JAUNT2020', file: 'src/list.test.ts', line: 8 });
    expect(suspect.failure).toMatch(/expect\(received\)\.toEqual\(expected\)[\s\S]*-\s+9,\s+10,\s+100,\s+\+\s+9,/);
    expect(suspect.linked).toEqual([{
      name: 'sortedUnique', file: 'src/list.ts', line: 7, status: 'fresh', failedExamples: [],
      passedExamples: ['sortedUnique([3, 1, 3, 2]) // => [1, 2, 3]', 'sortedUnique([]) // => []'],
    }]);
    const text = await jaunt(['test']);
    expect(text.stdout).toContain('src/list.test.ts:8 testSortedUnique: JAUNT2020: suspect test');
    expect(text.stdout).toContain('`sortedUnique([3, 1, 3, 2]) // => [1, 2, 3]`');
    expect(text.stdout).toMatch(/1 of 2 generated tests passed/);
  }, NESTED_JEST_MS + 20_000);

  test("editing a linked spec's contract makes its test stale, and only that test", async () => {
    project.edit('src/list.ts', (t) => t.replace('the last chunk holds the rest.', 'the last chunk holds what is left.'));
    const r = await jaunt(['status', '--json']);
    const status = JSON.parse(r.stdout) as StatusJson;
    const of = (name: string) => status.specs.find((s) => s.name === name)!;
    expect([of('testChunk').status, of('testChunk').reasons]).toEqual(['stale', ['dependency chunk']]);
    expect(of('testSortedUnique').status).toBe('fresh');
  });
});

describe('test spec shape', () => {
  const analyze = (files: Record<string, string>) => analyzeProgram(ts, inMemoryProgram(files), IN_MEMORY_ROOT);
  const LIB = '/**\n * Doubles n.\n * @jaunt\n */\nexport declare function double(n: number): number;\n';

  test('a test spec outside a test file, with parameters, or linking no spec is an error with its code, and is not generated', () => {
    const a = analyze({
      'src/lib.ts': LIB + '/**\n * {@link double} doubles.\n * @jauntTest\n */\ndeclare function testInLib(): void;\n',
      'src/lib.test.ts': "import { double } from './lib';\n" +
        '/**\n * {@link double} doubles.\n * @jauntTest\n */\ndeclare function testWithArg(n: number): void;\n' +
        '/**\n * Doubling works.\n * @jauntTest\n */\ndeclare function testNoLink(): void;\n' +
        '/**\n * {@link double} doubles every number.\n * @jauntTest\n */\ndeclare function testGood(): Promise<void>;\n',
    });
    const codes = a.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.spec, d.code]).sort();
    expect(codes).toEqual([
      ['testInLib', Codes.TestSpecOutsideTestFile], ['testNoLink', Codes.TestSpecLinksNothing], ['testWithArg', Codes.TestSpecSignature],
    ]);
    expect(a.specs.map((s) => s.ir.name).sort()).toEqual(['double', 'testGood']);
    expect(a.specs.find((s) => s.ir.name === 'testGood')!.ir.deps).toEqual(['src/lib.ts#double']);
    expect(a.diagnostics.find((d) => d.spec === 'testNoLink')!.message).toContain('link each spec it tests with `{@link name}`');
  });

  test('the title is the first sentence of the JSDoc with links as their names, or the name', () => {
    expect(testTitle('{@link chunk} keeps items in order. Then more.', 'testChunk')).toBe('chunk keeps items in order');
    expect(testTitle('Is {@link parse | the parser} total?\nMore text', 'testParse')).toBe('Is the parser total?');
    expect(testTitle('', 'testEmpty')).toBe('testEmpty');
  });
});
