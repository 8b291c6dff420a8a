import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeAnthropic, text, type FakeAnthropic } from './support/fake-anthropic';
import { cleanEnv, runAsync } from './support/spawn-async';
import { tspc } from './support/fixture-project';
import { cacheEntries, copyFixture, removeProject } from './support/temp-project';

const IMPL = path.join(__dirname, '..', 'fixtures', 'gen-chain', 'impl');
const answer = (spec: string) => text('```ts\n' + fs.readFileSync(path.join(IMPL, `${spec}.ts`), 'utf8') + '```');
const EXPECTED = ['|First Quarter| 1 |22|', '|   Second    |333|4 |', 'total=360'].join('\n');
const DEPS: Record<string, string[]> = {
  titleCase: ['capitalize', 'words'], formatRow: ['padCenter'], formatTable: ['formatRow', 'titleCase'],
};

describe('tspc generates missing implementations through the model', () => {
  let server: FakeAnthropic;
  let dir: string;
  const build = () => tspc(['-p', dir], {
    cwd: dir, env: cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-test-e2e', ANTHROPIC_BASE_URL: server.url }),
  });
  const run = () => runAsync('node', [path.join(dir, 'out', 'main.js')], { cwd: dir, env: cleanEnv() });

  beforeAll(async () => {
    server = await startFakeAnthropic({ latencyMs: 100 });
    server.fallback((req) => (req.spec ? answer(req.spec) : undefined));
    dir = copyFixture('gen-chain', { withCache: false });
  });
  afterAll(async () => {
    await server.close();
    removeProject(dir);
  });

  test('a cold build writes all seven specs in dependency order, caches them and runs', async () => {
    const r = await build();
    expect(r.stderr).toMatch(/jaunt: generated 7, reused 0, failed 0/);
    expect(r.status).toBe(0);
    expect(server.requests.map((q) => q.spec).sort()).toEqual(
      ['capitalize', 'formatRow', 'formatTable', 'padCenter', 'titleCase', 'total', 'words']);
    const order = server.requests.map((q) => q.spec!);
    for (const [spec, deps] of Object.entries(DEPS)) {
      for (const dep of deps) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(spec));
    }
    expect(cacheEntries(dir)).toHaveLength(7);
    const entry = fs.readFileSync(path.join(dir, '.jaunt', cacheEntries(dir).find((f) => f.startsWith('formatTable'))!), 'utf8');
    expect(entry).toMatch(/model: claude-/);
    expect(entry).toMatch(/tokens: \d+ in \/ \d+ out/);
    expect((await run()).stdout.trim()).toBe(EXPECTED);
  });

  test('a second build sends no request', async () => {
    const before = server.requests.length;
    const r = await build();
    expect(r.status).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(r.stderr).not.toMatch(/jaunt: generated/);
  });

  test("editing one spec's JSDoc regenerates exactly it and its dependents", async () => {
    const file = path.join(dir, 'src', 'strings.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('The empty string stays empty.', 'An empty word stays empty.'));
    const before = server.requests.length;
    const r = await build();
    expect(r.status).toBe(0);
    expect(server.requests.slice(before).map((q) => q.spec).sort()).toEqual(['capitalize', 'formatTable', 'titleCase']);
    expect((await run()).stdout.trim()).toBe(EXPECTED);
  });
});
