/**
 * Re-verification: when a contract changes but the entry written for the earlier one still passes every
 * check against it, `jaunt build --reverify` re-stamps that entry without a request, and says so. It is
 * never done silently: `status` lists such specs, and a plain build still treats them as stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildJson, StatusJson } from '../cli/json-shapes';
import type { PlanJson } from '../cli/build-plan';
import { parseEntry } from '../cache/entry-format';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic';
import { cacheFiles, cleanEnv, copyProject, edit, jaunt, parseJson, recordInputs, removeProject, requireBuiltCli, runNode, tspc } from './support/cli-project';

beforeAll(() => requireBuiltCli());

let server: FakeAnthropic;
let dir: string;
// No key at all: nothing here may need one.
const env = () => cleanEnv({ ANTHROPIC_BASE_URL: server.url });
const entries = (name: string) => cacheFiles(dir).filter((f) => f.startsWith(`${name}.`));
const meta = (file: string) => {
  const parsed = parseEntry(fs.readFileSync(path.join(dir, '.jaunt', file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed;
};

beforeAll(async () => {
  server = await startFakeAnthropic();
  dir = copyProject('basic-cjs');
  recordInputs(dir);
});
afterAll(async () => {
  await server.close();
  removeProject(dir);
});

test('a reworded contract whose entry still passes is listed as re-verifiable, planned without a request, and re-stamped by --reverify', async () => {
  const [old] = entries('clamp');
  edit(dir, 'src/math.ts', ' * Clamp `value` into the inclusive range [min, max].', ' * Limit `value` to the inclusive range [min, max] (both ends included).');

  const status = parseJson<StatusJson>((await jaunt(dir, ['status', '--json'], env())).stdout);
  expect(status.specs.find((s) => s.name === 'clamp')).toMatchObject({ status: 'stale', reasons: ['JSDoc'] });
  expect(status.reverifiable).toEqual(['src/math.ts#clamp']);
  const human = await jaunt(dir, ['status'], env());
  expect(human.stdout).toMatch(/Re-verifiable: .*`jaunt build --reverify` re-stamps them without a request:\n {2}src\/math\.ts:11 {2}clamp/);

  // A plain build still needs the model: re-verification is asked for, never assumed.
  const plain = await jaunt(dir, ['build'], env());
  expect(plain.status).toBe(4);
  expect(plain.stderr).toContain('ANTHROPIC_API_KEY is not set; jaunt build needs it to generate 1 spec (clamp)');

  const plan = parseJson<PlanJson>((await jaunt(dir, ['build', '--plan', '--reverify', '--json'], env())).stdout);
  expect(plan.specs).toEqual([expect.objectContaining({ name: 'clamp', action: 'reverify', usd: 0 })]);
  expect(entries('clamp')).toEqual([old]);

  const r = await jaunt(dir, ['build', '--reverify', '--json'], env());
  expect(r.status).toBe(0);
  expect(server.requests).toHaveLength(0);
  const json = parseJson<BuildJson>(r.stdout);
  expect(json.counts).toMatchObject({ generated: 0, reverified: 1, failed: 0 });
  const fresh = entries('clamp').find((f) => f !== old)!;
  expect(json.specs.find((s) => s.name === 'clamp')).toMatchObject({ status: 'reverified', entry: `.jaunt/${fresh}` });
  const before = meta(old!);
  const after = meta(fresh);
  expect(after.body).toBe(before.body);
  expect(after.meta.model).toBe(before.meta.model);
  expect(after.meta.reverified).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z from ${old!.replace(/\./g, '\\.')} \\(JSDoc changed; passed every check; no request\\)$`));

  expect(parseJson<StatusJson>((await jaunt(dir, ['status', '--json'], env())).stdout).specs.map((s) => s.status)).toEqual(['fresh', 'fresh']);
  // What ships runs.
  const built = await tspc(['-p', '.'], { cwd: dir, env: env() });
  expect(built.status).toBe(0);
  const run = await runNode([path.join(dir, 'out', 'main.js')], { cwd: dir });
  expect(JSON.parse(run.stdout)).toMatchObject({ early: 10, c: 0 });
});

test('a contract change the earlier entry no longer satisfies is not re-verifiable and still needs the model', async () => {
  edit(dir, 'src/math.ts', 'export declare function sha256(text: string): string;', 'export declare function sha256(text: string): Uint8Array;');
  const status = parseJson<StatusJson>((await jaunt(dir, ['status', '--json'], env())).stdout);
  expect(status.specs.find((s) => s.name === 'sha256')).toMatchObject({ status: 'stale', reasons: ['signature'] });
  expect(status.reverifiable).toEqual([]);
  const r = await jaunt(dir, ['build', '--reverify'], env());
  expect(r.status).toBe(4);
  expect(r.stderr).toContain('jaunt build needs it to generate 1 spec (sha256)');
  expect(r.stderr).not.toContain('Re-verified');
  expect(server.requests).toHaveLength(0);
});
