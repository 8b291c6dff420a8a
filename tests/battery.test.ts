import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GcJson, TestJson } from '../cli/json-shapes';
import { inspectOptions } from '../config/options';
import { code, startFakeAnthropic, text, type FakeAnthropic } from './support/fake-anthropic';
import { writePluginEntry } from './support/entry-project';
import { cacheFiles, cleanEnv, copyProject, edit, jaunt, parseJson, removeProject, requireBuiltCli, runNode, tspc } from './support/cli-project';

beforeAll(() => requireBuiltCli());

/** What a model writes for the battery request: tests from the contract, one of them at odds with the example. */
const BATTERY_REPLY = [
  'Here are tests derived from the contract of `squish`:',
  '',
  '```ts',
  '// @test collapses a run of spaces between words',
  "squish('a     b') // => 'a b'",
  '',
  '// @test tabs and newlines count as whitespace',
  String.raw`squish('one\t\ntwo') // => 'one two'`,
  '',
  '// @test removes whitespace of any kind at both ends',
  String.raw`squish('\n\t  padded \r\n') // => 'padded'`,
  '',
  '// @test a string of only whitespace becomes empty',
  String.raw`squish(' \t\n ') // => ''`,
  '',
  '// @test leaves text with single spaces as it is',
  "const words = 'already single spaced';",
  'squish(words) // => words',
  '',
  '// @test keeps two spaces where the words were far apart',
  "squish('  hello    world ') // => 'hello  world'",
  '```',
  '',
  'Each test follows from a sentence of the contract.',
].join('\n');

/** Passes the one example (only spaces in it) but leaves tabs and newlines alone. */
const WRONG = [
  '// Runs of two or more spaces become one; the ends are trimmed first.',
  'const SPACE_RUN = / {2,}/g;',
  '',
  'export function squish(text: string): string {',
  "  return text.trim().replace(SPACE_RUN, ' ');",
  '}',
].join('\n');

const RIGHT = [
  '// Any run of whitespace: \\s covers tabs and newlines as well as spaces.',
  'const WHITESPACE_RUN = /\\s+/g;',
  '',
  'export function squish(text: string): string {',
  "  return text.replace(WHITESPACE_RUN, ' ').trim();",
  '}',
].join('\n');

describe('jaunt build --tests: a battery of held-out tests', () => {
  let server: FakeAnthropic;
  let dir: string;
  const env = () => cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-test-battery', ANTHROPIC_BASE_URL: server.url });
  const batteryFile = () => cacheFiles(dir).find((f) => f.endsWith('.battery.ts'));

  beforeAll(async () => {
    server = await startFakeAnthropic();
    dir = copyProject('battery');
  });
  afterAll(async () => {
    await server.close();
    removeProject(dir);
  });

  test('the battery rejects an answer that passes the example; the retry is told the failing test by name, never its code', async () => {
    server.script('squish', text(BATTERY_REPLY), code(WRONG), code(RIGHT));
    const r = await jaunt(dir, ['build', '--tests'], env());
    expect(r.stderr).toContain('jaunt: squish: done');
    expect(r.status).toBe(0);

    // Three requests: the battery (contract only), the wrong answer, the right one.
    expect(server.requests.map((q) => q.spec)).toEqual(['squish', 'squish', 'squish']);
    const [battery, first, second] = server.requests;
    expect(battery!.userText).toContain('Battery: write held-out tests');
    expect(battery!.userText).toContain("@example squish('  hello    world ') // => 'hello world'");
    expect(first!.userText).not.toContain('Battery:');
    expect(first!.userText).not.toContain('@test');
    // The repair turns carry the failure by name.
    expect(second!.turnsText).toContain(`battery test "tabs and newlines count as whitespace" failed: an assertion should be 'one two' but was`);
    // Held out: neither the test's code nor any other test reaches the implementation's conversation.
    const told = `${second!.userText}\n${second!.turnsText}`;
    expect(told).not.toContain('@test');
    expect(told).not.toContain(String.raw`squish('one\t\ntwo')`);
    expect(told).not.toContain('removes whitespace of any kind');

    // The test at odds with the example was dropped and reported, not a wedge.
    expect(r.stderr).toMatch(/dropped battery test "keeps two spaces where the words were far apart": contradicts the @example at src\/text\.ts:8/);
    const file = batteryFile();
    expect(file).toMatch(/^squish\.[0-9a-f]{16}\.battery\.ts$/);
    const saved = fs.readFileSync(path.join(dir, '.jaunt', file!), 'utf8');
    expect(saved).toMatch(/^ \* model: claude-[\w.-]+$/m);
    expect(saved).toMatch(/^ \* tokens: \d+ in \/ \d+ out$/m);
    expect(saved).toContain('// @test tabs and newlines count as whitespace\n' + String.raw`squish('one\t\ntwo') // => 'one two'`);
    expect(saved).toMatch(/\/\/ @dropped contradicts the @example at src\/text\.ts:8.*\n\/\/ @test keeps two spaces where the words were far apart\n\/\/ \| squish\('  hello    world '\) \/\/ => 'hello  world'/);
    expect(saved).toContain('tests: 5 run, 1 dropped');

    // The right answer is what was cached, and what ships.
    const entry = cacheFiles(dir).find((f) => /^squish\.[0-9a-f]{16}\.ts$/.test(f))!;
    expect(fs.readFileSync(path.join(dir, '.jaunt', entry), 'utf8')).toContain('WHITESPACE_RUN = /\\s+/g');
    const built = await tspc(['-p', '.'], { cwd: dir, env: cleanEnv() });
    expect(built.stderr + built.stdout).toBe('');
    expect((await runNode([path.join(dir, 'out', 'main.js')], { cwd: dir })).stdout.trim()).toBe('"one two"');
  });

  test('a repeat build asks for nothing; the battery counts as a cache file in use, and an old contract\'s battery is unused', async () => {
    const before = server.requests.length;
    const again = await jaunt(dir, ['build', '--tests'], env());
    expect(again.status).toBe(0);
    expect(server.requests.length).toBe(before);

    const gc = parseJson<GcJson>((await jaunt(dir, ['gc', '--json'])).stdout);
    expect(gc).toMatchObject({ entries: 2, used: 2, orphans: [] });

    // The mutation score runs the battery beside the example.
    const scored = parseJson<TestJson>((await jaunt(dir, ['test', '--mutants', '--json'])).stdout).mutants!;
    expect(scored.specs).toEqual([expect.objectContaining({ name: 'squish', examples: 1, batteryTests: 5, killed: 1, total: 1 })]);

    edit(dir, 'src/text.ts', 'removes\n * whitespace at both ends', 'strips\n * whitespace at both ends');
    const stale = parseJson<GcJson>((await jaunt(dir, ['gc', '--json'])).stdout);
    const paths = stale.orphans.map((o) => o.path);
    expect(paths).toHaveLength(2);
    expect(paths).toContain(`.jaunt/${batteryFile()}`);
    expect(paths.filter((p) => /^\.jaunt\/squish\.[0-9a-f]{16}\.ts$/.test(p))).toHaveLength(1);
    expect(stale.orphans.find((o) => o.path.endsWith('.battery.ts'))!.detail).toMatch(/^battery of an earlier contract of squish/);
  });
});

test('with "tests": true in the plugin entry, a tspc build asks for the battery and runs it on the answer', async () => {
  const server = await startFakeAnthropic();
  const dir = copyProject('battery');
  try {
    writePluginEntry(dir, { tests: true });
    server.script('squish', text(BATTERY_REPLY), code(WRONG), code(RIGHT));
    const built = await tspc(['-p', '.'], { cwd: dir, env: cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-test-battery-tsc', ANTHROPIC_BASE_URL: server.url }) });
    expect(built.stderr).toMatch(/jaunt: squish: battery of 6 tests written to \.jaunt\/squish\.[0-9a-f]{16}\.battery\.ts/);
    expect(built.stderr).toContain('jaunt: squish: attempt 1 rejected: battery test "tabs and newlines count as whitespace" failed');
    expect(built.status).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect((await runNode([path.join(dir, 'out', 'main.js')], { cwd: dir })).stdout.trim()).toBe('"one two"');
  } finally {
    await server.close();
    removeProject(dir);
  }
});

test('the "tests" option of the plugin entry must be true or false', () => {
  const report = inspectOptions({ tests: 'yes' }, path.join(__dirname, '..', 'fixtures', 'battery'), {});
  expect(report.problems.map((p) => p.problem)).toEqual(['option "tests" must be true or false, got "yes".']);
  expect(inspectOptions({ tests: true }, path.join(__dirname, '..', 'fixtures', 'battery'), {}).options?.tests).toBe(true);
  expect(inspectOptions({}, path.join(__dirname, '..', 'fixtures', 'battery'), {}).options?.tests).toBe(false);
});
