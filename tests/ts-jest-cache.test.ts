/**
 * `jaunt-ts/jest` with jest's cache on (a `--cacheDirectory` inside the project, never `--no-cache`): a
 * change to `.jaunt/` reaches the next run, and an unchanged run compiles nothing. The fixture runs in both
 * ts-jest modes; the isolatedModules project lists the plugin itself, as the older setup did, to show that
 * form works inside the new entry.
 *
 * Evidence of what was compiled comes from jest's transform cache: jest writes `<file>_<key>` there only
 * when it had to call the transformer, and only reads it on a hit. The tests run in order, one project.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FixtureProject, JEST, NESTED_JEST_MS, childEnv, run, type RunResult } from './support/fixture-project';

interface JestJson {
  success: boolean;
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

interface Outcome {
  run: RunResult;
  json: JestJson;
  /** jest's transform cache after the run: path → mtime. */
  cache: Map<string, number>;
}

const JEST_CONFIG = `
const project = (displayName, options) => ({
  displayName,
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\\\.ts$': ['jaunt-ts/jest', options] },
});
module.exports = {
  projects: [
    project('language-service', { tsconfig: '<rootDir>/tsconfig.json' }),
    project('isolated-modules', { tsconfig: 'tsconfig.isolated.json', astTransformers: { before: [{ path: 'jaunt-ts/transformer' }] } }),
  ],
};
`;

let project: FixtureProject;
let runs = 0;
const outcomes: Outcome[] = [];

beforeAll(() => {
  project = FixtureProject.copy('ts-jest');
  project.write('jest.config.js', JEST_CONFIG);
});
afterAll(() => project?.cleanup());

/** Every compiled file in jest's transform cache (source maps aside), with its mtime. */
function transformCache(): Map<string, number> {
  const root = project.path('jest-cache');
  const out = new Map<string, number>();
  for (const dir of fs.readdirSync(root).filter((d) => d.startsWith('jest-transform-cache-'))) {
    for (const rel of fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })) {
      const file = path.join(root, dir, rel);
      if (!rel.endsWith('.map') && fs.statSync(file).isFile()) out.set(path.join(dir, rel), fs.statSync(file).mtimeMs);
    }
  }
  return out;
}

async function jest(): Promise<Outcome> {
  const results = project.path(`results-${++runs}.json`);
  const r = await run(process.execPath, [
    JEST, '--rootDir', project.dir, '--config', project.path('jest.config.js'),
    '--ci', '--no-watchman', '--cacheDirectory', project.path('jest-cache'), '--json', '--outputFile', results,
  ], { cwd: project.dir, env: childEnv(), timeoutMs: NESTED_JEST_MS });
  if (!fs.existsSync(results)) throw new Error(`jest wrote no results (exit ${r.status}):\n${r.output}`);
  const outcome = { run: r, json: JSON.parse(fs.readFileSync(results, 'utf8')) as JestJson, cache: transformCache() };
  outcomes.push(outcome);
  return outcome;
}

/** Each test's title and status, and the value a failed expectation received. */
function verdicts(o: Outcome): string[] {
  return o.json.testResults.flatMap((t) => t.assertionResults).map((a) => {
    const received = /Received: (.*)/.exec(a.failureMessages.join('\n'))?.[1];
    return `${a.status}: ${a.title}${received !== undefined ? ` (received ${received})` : ''}`;
  }).sort();
}

const PASSED = [
  'passed: countWords counts runs of non-whitespace',
  'passed: countWords counts runs of non-whitespace',
  'passed: wordStats uses countWords and finds the longest word',
  'passed: wordStats uses countWords and finds the longest word',
];

/** The source files (jest's cache-file prefix: the base name, non-word characters dropped) compiled anew. */
function compiledSince(before: Outcome, after: Outcome): string[] {
  return [...after.cache.keys()].filter((k) => !before.cache.has(k)).map((k) => path.basename(k).split('_')[0]!).sort();
}

function checksumOf(entry: string): string {
  return /checksum: (\w+)/.exec(project.read(entry))?.[1] ?? '';
}

test('the first run compiles the project with its cached implementations and passes', async () => {
  const first = await jest();
  expect({ verdicts: verdicts(first), output: first.json.success ? '' : first.run.output.slice(-3000) }).toEqual({ verdicts: PASSED, output: '' });
  expect(first.run.output).not.toMatch(/JAUNT\d{4}/);
  // Both projects compiled both files.
  expect([...first.cache.keys()].map((k) => path.basename(k).split('_')[0]).sort()).toEqual(['words', 'words', 'wordstest', 'wordstest']);
}, NESTED_JEST_MS + 20_000);

test('a hand edit of an entry body reaches the next run, which recompiles only the file declaring the spec', async () => {
  const entry = project.entryOf('countWords');
  project.edit(entry, (t) => t.replace('return text.match(/\\S+/g)?.length ?? 0;', 'return 7;'));
  const second = await jest();
  expect(verdicts(second)).toEqual([
    'failed: countWords counts runs of non-whitespace (received 7)',
    'failed: countWords counts runs of non-whitespace (received 7)',
    // wordStats calls countWords: its object comparison fails too.
    'failed: wordStats uses countWords and finds the longest word',
    'failed: wordStats uses countWords and finds the longest word',
  ]);
  // The test file declares no spec: its key is ts-jest's own, untouched by the entry.
  expect(compiledSince(outcomes[0]!, second)).toEqual(['words', 'words']);
}, NESTED_JEST_MS + 20_000);

test('a run with nothing changed compiles nothing: every file comes from jest\'s cache as it was', async () => {
  const previous = outcomes[outcomes.length - 1]!;
  const third = await jest();
  expect(verdicts(third)).toEqual(verdicts(previous));
  expect([...third.cache]).toEqual([...previous.cache]);
}, NESTED_JEST_MS + 20_000);

test('an entry rewritten by `jaunt author` (same spec hash, new checksum) reaches the next run', async () => {
  const previous = outcomes[outcomes.length - 1]!;
  const entry = project.entryOf('countWords');
  const checksum = checksumOf(entry);
  project.write('impl-author/countWords.ts', 'export function countWords(text: string): number {\n  return text.split(/\\s+/).filter((w) => w !== \'\').length;\n}\n');
  expect(project.authorOffline('tsconfig.json', 'impl-author')).toEqual({ written: ['countWords'], missing: ['wordStats'] });
  expect(project.entryOf('countWords')).toBe(entry);
  expect(checksumOf(entry)).not.toBe(checksum);
  const fourth = await jest();
  expect(verdicts(fourth)).toEqual(PASSED);
  expect(fourth.run.output).not.toMatch(/JAUNT\d{4}/);
  expect(compiledSince(previous, fourth)).toEqual(['words', 'words']);
}, NESTED_JEST_MS + 20_000);

test('a pulled contract change arriving with entries for its new hashes reaches the next run', async () => {
  const previous = outcomes[outcomes.length - 1]!;
  const before = project.entries();
  project.edit('src/words.ts', (t) => t.replace('maximal runs of non-whitespace characters.', 'maximal runs of characters that are neither whitespace nor "-".'));
  project.edit('src/words.test.ts', (t) => t.replace("expect(countWords('')).toBe(0);", "expect(countWords('')).toBe(0);\n  expect(countWords('well-known fact')).toBe(3);"));
  project.write('impl-pull/countWords.ts', 'export function countWords(text: string): number {\n  return text.match(/[^\\s-]+/g)?.length ?? 0;\n}\n');
  project.write('impl-pull/wordStats.ts', project.read('impl/wordStats.ts'));
  // A dependency's new hash gives its dependent (wordStats) a new hash too.
  expect(project.authorOffline('tsconfig.json', 'impl-pull')).toEqual({ written: ['countWords', 'wordStats'], missing: [] });
  const added = project.entries().filter((e) => !before.includes(e));
  expect(added.map((e) => path.basename(e).split('.')[0]).sort()).toEqual(['countWords', 'wordStats']);
  const fifth = await jest();
  expect({ verdicts: verdicts(fifth), output: fifth.json.success ? '' : fifth.run.output.slice(-3000) }).toEqual({ verdicts: PASSED, output: '' });
  expect(fifth.run.output).not.toMatch(/JAUNT\d{4}/);
  expect(compiledSince(previous, fifth)).toEqual(['words', 'words', 'wordstest', 'wordstest']);
}, NESTED_JEST_MS + 20_000);

describe('a process that runs jest twice', () => {
  let twice: FixtureProject;
  beforeAll(() => {
    twice = FixtureProject.copy('ts-jest');
    twice.write('jest.config.js', `module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\\\.ts$': ['jaunt-ts/jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
};
`);
  });
  afterAll(() => twice?.cleanup());

  // As a script or an editor integration would: jest's runCLI, in band, twice in one process. Between the
  // runs an entry changes and the spec file gets a new mtime, so jest recompiles it in that process, where
  // ts-jest's program and the plugin still hold the entries they read in the first run.
  const SCRIPT = (jest: string): string => `
const fs = require('node:fs');
const { runCLI } = require(${JSON.stringify(jest)});
const argv = { _: [], $0: 'jest', rootDir: __dirname, config: __dirname + '/jest.config.js', cacheDirectory: __dirname + '/jest-cache', runInBand: true, silent: true, ci: true, watchman: false };
const summary = (r) => ({ passed: r.results.numPassedTests, failed: r.results.numFailedTests, messages: r.results.testResults.map((t) => t.failureMessage ?? '') });
(async () => {
  const first = await runCLI(argv, [__dirname]);
  const entry = '.jaunt/' + fs.readdirSync('.jaunt').find((n) => n.startsWith('countWords.'));
  fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace('return text.match(/\\\\S+/g)?.length ?? 0;', 'return 7;'));
  const mtime = fs.statSync('src/words.ts').mtimeMs + 10000;
  fs.utimesSync('src/words.ts', mtime / 1000, mtime / 1000);
  const second = await runCLI(argv, [__dirname]);
  fs.writeFileSync('twice.json', JSON.stringify({ first: summary(first), second: summary(second) }));
})();
`;

  test('refuses to compile a spec file whose entries changed since its first run, and caches nothing stale for the next', async () => {
    twice.write('run-twice.js', SCRIPT(path.dirname(require.resolve('jest/package.json'))));
    const r = await run(process.execPath, ['run-twice.js'], { cwd: twice.dir, env: childEnv(), timeoutMs: NESTED_JEST_MS });
    if (!twice.exists('twice.json')) throw new Error(`the script wrote no results (exit ${r.status}):\n${r.output}`);
    const { first, second } = JSON.parse(twice.read('twice.json')) as Record<'first' | 'second', { passed: number; failed: number; messages: string[] }>;
    expect({ passed: first.passed, failed: first.failed }).toEqual({ passed: 2, failed: 0 });
    expect(second.messages.join('\n')).toMatch(/words\.ts's specs .* changed while this jest process was running.*Restart jest/s);
    // A new process compiles the new entry: nothing stale was stored under its key.
    const fresh = await run(process.execPath, [
      JEST, '--rootDir', twice.dir, '--config', twice.path('jest.config.js'), '--ci', '--no-watchman', '--cacheDirectory', twice.path('jest-cache'),
    ], { cwd: twice.dir, env: childEnv(), timeoutMs: NESTED_JEST_MS });
    expect(fresh.output).toMatch(/Received: 7/);
  }, 2 * NESTED_JEST_MS + 20_000);
});
