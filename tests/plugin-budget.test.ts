/**
 * The `budget` plugin option in a `tspc` build: the generation worker stops sending before a request that
 * could go over it, the entries written are kept and ship, and each spec left undone is a JAUNT3012 error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { code, startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic';
import { writePluginEntry } from './support/entry-project';
import { tspc } from './support/fixture-project';
import { cleanEnv } from './support/spawn-async';
import { cacheEntries, copyFixture, removeProject } from './support/temp-project';

const KEY = 'sk-ant-test-PLUGIN-BUDGET-31f0';
let server: FakeAnthropic;
let dir: string;

beforeAll(async () => {
  server = await startFakeAnthropic();
  dir = copyFixture('gen-chain', { withCache: false });
  // Each answer is the project's own implementation at 3000 output tokens: $0.003 at $1 per million.
  server.fallback((req) => (req.spec ? code(fs.readFileSync(path.join(dir, 'impl', `${req.spec}.ts`), 'utf8'), { outputTokens: 3000 }) : undefined));
  writePluginEntry(dir, { concurrency: 1, budget: 0.01, price: { input: 0, output: 1 } });
});
afterAll(async () => {
  await server.close();
  removeProject(dir);
});

test('tspc stops at the budget: two specs written and shipped, the rest reported with JAUNT3012 or as skipped dependents', async () => {
  const r = await tspc(['-p', dir], { cwd: dir, env: cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url }) });
  const output = r.stdout + r.stderr;
  expect(r.status).not.toBe(0);
  expect(server.requests).toHaveLength(2);
  expect(cacheEntries(dir)).toHaveLength(2);
  expect(output).toMatch(/JAUNT3012: spec '\w+' could not be generated: not sent: this request could cost up to \$0\.0041 and \$0\.0060 of the \$0\.010 budget is spent/);
  expect(output).toMatch(/jaunt: generated 2, reused 0, failed 5/);
  expect(output).not.toContain(KEY);
  // What was generated ships: its file's emitted JS holds the spliced implementation.
  const written = cacheEntries(dir).map((e) => e.split('.')[0]);
  const emitted = fs.readdirSync(path.join(dir, 'out')).map((f) => fs.readFileSync(path.join(dir, 'out', f), 'utf8')).join('\n');
  for (const name of written) expect(emitted).toMatch(new RegExp(`/\\* jaunt: \\.jaunt/${name}\\.[0-9a-f]{16}\\.ts \\*/`));
});
