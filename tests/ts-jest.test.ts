/**
 * ts-jest with `astTransformers: { before: [{ path: 'jaunt-ts/transformer' }] }`: a project's own jest
 * run compiles its specs with their cached implementations, so its tests can call them. The fixture runs
 * its tests twice: with ts-jest's language service and with isolatedModules (transpileModule).
 */
import { FixtureProject, JEST, NESTED_JEST_MS, childEnv, run, type RunResult } from './support/fixture-project';

interface JestJson {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

let project: FixtureProject;
let result: RunResult;

beforeAll(async () => {
  project = FixtureProject.copy('ts-jest');
  result = await run(process.execPath, [
    JEST, '--rootDir', project.dir, '--config', project.path('jest.config.js'),
    '--ci', '--no-cache', '--no-watchman', '--json', '--outputFile', project.path('results.json'),
  ], { cwd: project.dir, env: childEnv(), timeoutMs: NESTED_JEST_MS });
}, NESTED_JEST_MS + 20_000);

afterAll(() => project?.cleanup());

function results(): JestJson {
  if (!project.exists('results.json')) throw new Error(`jest wrote no results (exit ${result.status}):\n${result.output}`);
  return JSON.parse(project.read('results.json')) as JestJson;
}

test('the fixture\'s jest run passes in both modes, its tests calling the spliced implementations', () => {
  const json = results();
  const failures = json.testResults.flatMap((t) => t.assertionResults.filter((a) => a.status !== 'passed'))
    .map((a) => ({ title: a.title, error: a.failureMessages[0]?.split('\n')[0] }));
  expect(failures).toEqual([]);
  // On failure, the run's own output says why (a suite that failed to compile has no assertion results).
  expect({ success: json.success, passed: json.numPassedTests, failed: json.numFailedTests, output: json.success ? '' : result.output.slice(-3000) })
    .toEqual({ success: true, passed: 4, failed: 0, output: '' });
  expect(result.status).toBe(0);
});

test('the transformer reports no Jaunt problem under ts-jest (its hashes match the committed entries)', () => {
  expect(result.output).not.toMatch(/JAUNT\d{4}/);
});
