import * as fs from 'node:fs';
import * as path from 'node:path';
import { malformed, noCodeBlock, reset, startFakeAnthropic, status, text, type FakeAnthropic } from './support/fake-anthropic';
import { cleanEnv, runAsync } from './support/spawn-async';
import { tspc } from './support/fixture-project';
import { cacheEntries, copyFixture, removeProject } from './support/temp-project';

const IMPL = path.join(__dirname, '..', 'fixtures', 'gen-chain', 'impl');
const source = (spec: string) => fs.readFileSync(path.join(IMPL, `${spec}.ts`), 'utf8');
const ts = (code: string) => text('```ts\n' + code + '\n```');
const KEY = 'sk-ant-test-FAULTS-7d1e0c';

async function withProject(fn: (o: { server: FakeAnthropic; dir: string; build: () => ReturnType<typeof tspc> }) => Promise<void>) {
  const server = await startFakeAnthropic({ latencyMs: 20 });
  server.fallback((req) => (req.spec ? ts(source(req.spec)) : undefined));
  const dir = copyFixture('gen-chain', { withCache: false });
  const build = () => tspc(['-p', dir], { cwd: dir, env: cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url }) });
  try {
    await fn({ server, dir, build });
  } finally {
    await server.close();
    removeProject(dir);
  }
}

describe('generation faults end in success after retries or in a clear diagnostic', () => {
  test('transient provider faults and bad candidates are retried until every spec is cached', async () => {
    await withProject(async ({ server, dir, build }) => {
      server.script('capitalize', status(429, { retryAfterSeconds: 1 }), ts(source('capitalize')));
      server.script('words', status(529), status(500), ts(source('words')));
      server.script('padCenter', reset(), malformed(), ts(source('padCenter')));
      server.script('titleCase', noCodeBlock(), ts(source('titleCase')));
      // A type error, then a wrong function name, then right.
      server.script('formatRow', ts(source('formatRow').replace('return `|', 'return 42 + `|').replace('): string {', '): number {')),
        ts(source('formatRow').replace('function formatRow', 'function formatRows')), ts(source('formatRow')));
      // Renamed parameters are fine.
      server.script('total', ts('export function total(list: readonly { label: string; values: number[] }[]): number {\n  let s = 0;\n  for (const r of list) for (const v of r.values) s += v;\n  return s;\n}'));
      const r = await build();
      expect(r.stderr).toMatch(/generated 7, reused 0, failed 0/);
      expect(r.status).toBe(0);
      expect(cacheEntries(dir)).toHaveLength(7);
      const retried = server.requests.filter((q) => q.spec === 'formatRow');
      expect(retried).toHaveLength(3);
      // Each retry carries the previous candidate's errors as turns after the unchanged prompt.
      expect(retried[1]!.turnsText).toMatch(/TS\d{4}/);
      expect(retried[2]!.turnsText).toMatch(/formatRows/);
      expect(retried[2]!.userText).toBe(retried[0]!.userText);
      const run = await runAsync('node', [path.join(dir, 'out', 'main.js')], { cwd: dir, env: cleanEnv() });
      expect(run.stdout).toMatch(/total=360/);
    });
  });

  test('a spec that never validates fails with its errors, fails its dependents, and others are still cached', async () => {
    await withProject(async ({ server, dir, build }) => {
      const bad = ts('export function padCenter(text: string, width: number): string {\n  return width;\n}');
      server.script('padCenter', bad, bad, bad);
      const r = await build();
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/JAUNT3001: spec 'padCenter' could not be generated: no valid implementation after 3 attempts/);
      expect(r.stdout + r.stderr).toMatch(/JAUNT3002: spec 'formatRow' was not generated: dependency padCenter failed/);
      expect(r.stdout + r.stderr).toMatch(/JAUNT3002: spec 'formatTable'/);
      const entries = cacheEntries(dir);
      expect(entries.filter((e) => /^(padCenter|formatRow|formatTable)\./.test(e))).toEqual([]);
      expect(entries.map((e) => e.split('.')[0]).sort()).toEqual(['capitalize', 'titleCase', 'total', 'words']);
      expect(server.requests.filter((q) => q.spec === 'formatRow')).toHaveLength(0);
    });
  });

  test('a rejected key fails fast, once, and the key appears nowhere', async () => {
    await withProject(async ({ server, dir, build }) => {
      server.fallback(() => status(401, { message: `invalid x-api-key ${KEY}` }));
      const r = await build();
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/JAUNT3001|JAUNT3003/);
      expect(r.stdout + r.stderr).not.toContain(KEY);
      expect(r.stdout + r.stderr).not.toContain(KEY.slice(-10));
      // Concurrency may have a few requests in flight, but not one per spec and attempt.
      expect(server.requests.length).toBeLessThanOrEqual(4);
      expect(cacheEntries(dir)).toEqual([]);
    });
  });
});
