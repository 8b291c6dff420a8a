/**
 * Seeing the cost before paying (`jaunt build --plan`), and a budget that stops a build before it could go
 * over, keeping what was written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildJson } from '../cli/json-shapes';
import type { PlanJson } from '../cli/build-plan';
import { resolveOptions } from '../config/options';
import { Codes } from '../core/errors';
import { code, startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic';
import { cacheFiles, cleanEnv, copyProject, jaunt, parseJson, removeProject, requireBuiltCli } from './support/cli-project';

beforeAll(() => requireBuiltCli());

const KEY = 'sk-ant-test-BUDGET-55aa01';
let server: FakeAnthropic;
let dir: string;

beforeAll(async () => {
  server = await startFakeAnthropic();
  dir = copyProject('gen-chain');
  // Every answer is the project's own implementation, at 3000 output tokens: each request costs $0.003 at $1/M.
  server.fallback((req) => (req.spec ? code(fs.readFileSync(path.join(dir, 'impl', `${req.spec}.ts`), 'utf8'), { outputTokens: 3000 }) : undefined));
});
afterAll(async () => {
  await server.close();
  removeProject(dir);
});

const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ ANTHROPIC_BASE_URL: server.url, ...extra });

describe('jaunt build --plan', () => {
  test('lists each spec it would generate with the reason and the estimated tokens and cost, needs no key and sends no request', async () => {
    const r = await jaunt(dir, ['build', '--plan', '--json'], env());
    expect(r.status).toBe(0);
    const plan = parseJson<PlanJson>(r.stdout);
    expect(plan.requests).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(plan.specs.map((s) => s.name).sort()).toEqual(['capitalize', 'formatRow', 'formatTable', 'padCenter', 'titleCase', 'total', 'words']);
    expect(plan.specs.every((s) => s.action === 'generate' && s.reason === 'never generated')).toBe(true);
    // A spec that calls others carries their contracts in its prompt: its estimate is larger.
    const tokens = new Map(plan.specs.map((s) => [s.name, s.inputTokens]));
    expect(tokens.get('formatTable')).toBeGreaterThan(tokens.get('capitalize')!);
    expect(plan.specs.every((s) => s.outputTokens === 500 && s.worstOutputTokens === 3 * 4096)).toBe(true);
    expect(plan.cost).toEqual({ priceIn: 3, priceOut: 15, source: 'price table' });
    expect(plan.totals.usd).toBeCloseTo((plan.totals.inputTokens * 3 + plan.totals.outputTokens * 15) / 1e6, 10);
    expect(plan.totals.worstUsd!).toBeGreaterThan(plan.totals.usd!);

    const human = await jaunt(dir, ['build', '--plan'], env());
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^Plan: 7 specs to generate with claude-sonnet-5-5 \(anthropic\) at .*No request sent\.$/m);
    expect(human.stdout).toMatch(/src\/format\.ts:\d+ {2}padCenter {2}never generated {2}~\d+ in \/ ~500 out {2}≈ \$0\.\d+/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('a budget', () => {
  test('stops the build before a request that could go over it, keeps what it wrote, and names what it left undone', async () => {
    const plan = parseJson<PlanJson>((await jaunt(dir, ['build', '--plan', '--json'], env())).stdout);
    // Each request reserves its worst case ($0.004096: 4096 tokens out at $1/M, input free) and costs $0.003.
    const r = await jaunt(dir, ['build', '--json', '--concurrency', '1', '--budget', '0.01', '--price-in', '0', '--price-out', '1'], env({ ANTHROPIC_API_KEY: KEY }));
    expect(r.status).toBe(1);
    const json = parseJson<BuildJson>(r.stdout);
    expect(server.requests).toHaveLength(2);
    expect(json.counts).toMatchObject({ generated: 2, failed: expect.any(Number), skipped: expect.any(Number) });
    expect(json.counts.failed + json.counts.skipped).toBe(5);
    expect(json.budget).toEqual({ usd: 0.01, spentUsd: expect.closeTo(0.006, 10), refused: expect.arrayContaining([expect.any(String)]) });
    for (const s of json.specs.filter((x) => x.status === 'failed')) {
      expect(s.code).toBe(Codes.BudgetExhausted);
      expect(s.reason).toMatch(/^not sent: this request could cost up to \$0\.0041 and \$0\.0060 of the \$0\.010 budget is spent, so it could go over\. Raise the budget/);
    }
    expect(json.specs.filter((x) => x.status === 'skipped').every((x) => /^dependency \w+ failed$/.test(x.reason!))).toBe(true);
    expect(cacheFiles(dir)).toHaveLength(2);
    // The plan's input estimate is what the first request of a spec then carried.
    for (const req of server.requests) {
      expect(plan.specs.find((s) => s.name === req.spec)?.inputTokens).toBe(Math.ceil((String(req.body?.system).length + req.userText.length) / 4));
    }
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  test('a human build says what the budget stopped, and a larger budget then finishes only what was left', async () => {
    fs.rmSync(path.join(dir, '.jaunt'), { recursive: true, force: true });
    const before = server.requests.length;
    const stopped = await jaunt(dir, ['build', '--concurrency', '1', '--budget', '0.004', '--price-in', '0', '--price-out', '1'], env({ ANTHROPIC_API_KEY: KEY }));
    expect(stopped.status).toBe(1);
    expect(server.requests.length).toBe(before);
    expect(stopped.stdout).toMatch(/budget \$0\.0040: ≈ \$0\.00 spent; stopped before \d specs that could have gone over it \(JAUNT3012, listed below\)/);

    const rest = await jaunt(dir, ['build', '--json', '--budget', '1', '--price-in', '0', '--price-out', '1'], env({ ANTHROPIC_API_KEY: KEY }));
    expect(rest.status).toBe(0);
    expect(parseJson<BuildJson>(rest.stdout).counts).toMatchObject({ generated: 7, failed: 0, skipped: 0 });
    expect(server.requests.length).toBe(before + 7);
    expect(cacheFiles(dir)).toHaveLength(7);
  });

  test('a budget for a model without a known price is refused before anything is sent (JAUNT4007)', async () => {
    const r = await jaunt(dir, ['build', '--provider', 'openai', '--model', 'local-coder', '--budget', '2'], env({ OPENAI_API_KEY: KEY }));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/JAUNT4007.*a budget needs a price, and Jaunt knows none for model local-coder/);
    expect(() => resolveOptions({ provider: 'openai', model: 'local-coder', budget: 2 }, dir, {})).toThrow(/option "budget" is set, but Jaunt knows no price for model "local-coder"/);
    expect(() => resolveOptions({ provider: 'openai', model: 'local-coder', budget: 2, price: { input: 0.2, output: 0.6 } }, dir, {})).not.toThrow();
    expect(() => resolveOptions({ budget: -1 }, dir, {})).toThrow(/option "budget" must be a number of US dollars above 0/);
  });
});
