import * as fs from 'node:fs';
import * as path from 'node:path';
import { code, startFakeAnthropic, status, type FakeAnthropic } from './support/fake-anthropic';
import { STACK_FRAME, cachedEntries, createManySpecs, type ManySpecsProject } from './support/many-specs';
import { cleanEnv, runAsync, type RunResult } from './support/spawn-async';
import { tspc as buildWith } from './support/fixture-project';
import { REPO, removeProject } from './support/temp-project';

const KEY = 'sk-ant-api03-JAUNTSECRET-9f8e7d';
const TAIL = KEY.slice(-12);
const CLI = path.join(REPO, 'dist', 'cli', 'main.js');

/** Every file under `dir` (cache entries, emitted JS, anything a build left), with its text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((file) => ({ file, text: fs.readFileSync(file, 'latin1') }));
}

/** Where the key, or its tail, shows up in a run's output or in the project's generated files. */
function leaks(p: ManySpecsProject, ...runs: RunResult[]): string[] {
  const places = [
    ...runs.flatMap((r, i) => [{ file: `run ${i} stdout`, text: r.stdout }, { file: `run ${i} stderr`, text: r.stderr }]),
    ...filesUnder(path.join(p.dir, '.jaunt')),
    ...filesUnder(path.join(p.dir, 'out')),
  ];
  return places.flatMap(({ file, text }) => (text.includes(KEY) || text.includes(TAIL) ? [file] : []));
}

describe('the API key never leaves the environment it was given in', () => {
  let p: ManySpecsProject;
  let server: FakeAnthropic;
  const env = () => cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
  const tspc = () => buildWith(['-p', p.dir], { cwd: p.dir, env: env(), timeoutMs: 150_000 });

  beforeAll(async () => {
    p = createManySpecs({ count: 6, files: 2, label: 'secrets', plugin: { retries: 3, attempts: 2 } });
    server = await startFakeAnthropic({ latencyMs: 5 });
  });
  beforeEach(() => {
    fs.rmSync(path.join(p.dir, '.jaunt'), { recursive: true, force: true });
    fs.rmSync(path.join(p.dir, 'out'), { recursive: true, force: true });
  });
  afterAll(async () => {
    await server?.close();
    if (p) removeProject(p.dir);
  });

  test('server errors that echo the key are retried and printed redacted, and no output or cache file holds it', async () => {
    const echo = (what: string) => (req: { apiKey: string | undefined }) => `${what} ${req.apiKey ?? 'no key'}`;
    server.fallback((req) => (req.spec ? code(p.implementation(req.spec)) : undefined));
    server.script('spec0', status(500, { message: echo('upstream rejected key'), retryAfterMs: 20 }), code(p.implementation('spec0')));
    server.script('spec1', status(500, { rawBody: `<html><body>proxy error, key=${KEY}</body></html>`, retryAfterMs: 20 }),
      code(p.implementation('spec1')));
    server.script('spec2', status(529, { message: echo('overloaded for'), retryAfterMs: 20 }), code(p.implementation('spec2')));
    const r = await tspc();
    expect(server.requests.every((q) => q.apiKey === KEY)).toBe(true);
    expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
    expect(r.status).toBe(0);
    expect(cachedEntries(p.dir)).toHaveLength(p.specs.length);
    // The echoed messages were shown, minus the key.
    expect(r.stderr).toMatch(/spec0: 500 api_error: upstream rejected key \[redacted\]; retrying/);
    expect(r.stderr).toMatch(/spec2: 529 overloaded_error: overloaded for \[redacted\]; retrying/);
    expect(r.stderr).toMatch(/spec1: 500.*; retrying/);
    expect(leaks(p, r)).toEqual([]);
  }, 180_000);

  test('a 401 that echoes the key fails the build with diagnostics that do not contain it', async () => {
    // A careful-looking server that echoes only the key's tail must not leak that tail either.
    server.fallback(() => status(401, { message: (req) => `invalid x-api-key ending in ${(req.apiKey ?? '').slice(-12)}` }));
    const r = await tspc();
    expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/JAUNT3003: spec 'spec\d+' could not be generated: Anthropic API refused the credentials/);
    expect(cachedEntries(p.dir)).toEqual([]);
    expect(leaks(p, r)).toEqual([]);
  }, 180_000);

  test('a 401 through `jaunt build` is reported without the key, as text and as JSON', async () => {
    server.fallback(() => status(401, { message: (req) => `invalid x-api-key ${req.apiKey ?? ''}` }));
    const [text, json] = await Promise.all([
      runAsync('node', [CLI, 'build', '-p', p.dir], { cwd: p.dir, env: env(), timeoutMs: 150_000 }),
      runAsync('node', [CLI, 'build', '-p', p.dir, '--json'], { cwd: p.dir, env: env(), timeoutMs: 150_000 }),
    ]);
    for (const r of [text, json]) {
      expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/refused the credentials/);
    }
    expect(leaks(p, text, json)).toEqual([]);
  }, 180_000);

  test('`jaunt doctor` reports that the key is set without printing it', async () => {
    expect(fs.existsSync(CLI)).toBe(true);
    const [text, json] = await Promise.all([
      runAsync('node', [CLI, 'doctor', '-p', p.dir], { cwd: p.dir, env: env() }),
      runAsync('node', [CLI, 'doctor', '-p', p.dir, '--json'], { cwd: p.dir, env: env() }),
    ]);
    expect(text.stdout).toMatch(/ANTHROPIC_API_KEY is set/);
    expect(JSON.stringify(JSON.parse(json.stdout))).toMatch(/ANTHROPIC_API_KEY is set/);
    for (const r of [text, json]) expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
    expect(leaks(p, text, json)).toEqual([]);
  }, 120_000);
});
