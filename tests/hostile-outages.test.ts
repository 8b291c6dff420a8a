/**
 * Endpoints that are down or flooded, and builds that share a cache: the circuit breaker ends a build
 * against a dead endpoint with one coded message, and concurrent builds pay for each spec once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Codes, JauntError } from '../core/errors';
import { CircuitBreaker } from '../generate/circuit-breaker';
import { createAnthropicProvider, redactUrls } from '../generate/provider';
import { refusedUrl, startDeadGateway } from './support/dead-endpoints';
import { code, startFakeAnthropic, status, text, type FakeAnthropic } from './support/fake-anthropic';
import { JAUNT, jaunt, runNode } from './support/cli-project';
import { STACK_FRAME, cachedEntries, createManySpecs, type ManySpecsProject } from './support/many-specs';
import { tspc as buildWith } from './support/fixture-project';
import { cleanEnv, runAsync, type RunResult } from './support/spawn-async';
import { removeProject } from './support/temp-project';

const KEY = 'sk-ant-test-OUTAGES-93be7a';

const projects: ManySpecsProject[] = [];
function project(count: number, plugin: Record<string, unknown> = {}): ManySpecsProject {
  const p = createManySpecs({ count, files: 3, depth: 2, label: 'outages', plugin });
  projects.push(p);
  return p;
}
afterAll(() => projects.forEach((p) => removeProject(p.dir)));

function tspc(p: ManySpecsProject, baseURL: string): Promise<RunResult> {
  return buildWith(['-p', p.dir], { cwd: p.dir, env: cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: baseURL }), timeoutMs: 170_000 });
}

/** Spec name → the codes of the diagnostics tsc printed for it. */
function codesBySpec(output: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of output.matchAll(/(JAUNT\d{4}): spec '(\w+)'/g)) out.set(m[2]!, (out.get(m[2]!) ?? new Set()).add(m[1]!));
  return out;
}

/** What every breaker test asserts: each spec failed with JAUNT3011 or behind a dependency, and the story is told once. */
function expectOneBreakerMessage(p: ManySpecsProject, r: RunResult, endpoint: string): void {
  expect(r.status).not.toBe(0);
  expect(r.output).not.toMatch(STACK_FRAME);
  expect(r.output).not.toContain(KEY);
  const codes = codesBySpec(r.stdout);
  const wrong = p.specs.flatMap((s) => {
    const got = [...(codes.get(s.name) ?? [])];
    return got.length === 1 && (got[0] === 'JAUNT3011' || got[0] === 'JAUNT3002') ? [] : [`${s.name}: ${got.join(',') || 'none'}`];
  });
  expect(wrong).toEqual([]);
  const full = `the Anthropic API at ${endpoint} is not answering: 8 requests in a row failed`;
  expect(r.stdout.split(full).length - 1).toBe(1);
  expect(r.stderr.match(/^jaunt: STOPPED: the Anthropic API at .* is not answering/gm)).toHaveLength(1);
  expect(r.stdout).toMatch(new RegExp(`JAUNT3011: spec '\\w+' could not be generated: not attempted: the Anthropic API at ${endpoint.replace(/[.:/]/g, '\\$&')} is not answering \\(JAUNT3011 for spec '\\w+' says more\\)`));
  expect(cachedEntries(p.dir)).toEqual([]);
}

describe('the circuit breaker', () => {
  test('a gateway that accepts connections and never answers trips it: every spec fails at once with one JAUNT3011 message', async () => {
    const gateway = await startDeadGateway();
    try {
      // Small deadlines stand in for the defaults (30 s for headers); the bench measures those.
      const p = project(12, { timeoutMs: 1500 });
      const r = await tspc(p, gateway.url);
      expectOneBreakerMessage(p, r, gateway.url);
      expect(r.stdout).toMatch(/8 requests in a row failed \(last: request timed out after 1500 ms\)\. Jaunt stopped sending requests/);
      // Two waves of the default concurrency (4) trip it; at most one more wave was already on its way.
      expect(gateway.requests()).toBeGreaterThanOrEqual(8);
      expect(gateway.requests()).toBeLessThanOrEqual(12);
    } finally {
      await gateway.close();
    }
  }, 180_000);

  test('a refused port trips it with the default settings, before any spec runs out of its own retries (no JAUNT3005)', async () => {
    const url = await refusedUrl();
    const p = project(12);
    const r = await tspc(p, url);
    expectOneBreakerMessage(p, r, url);
    expect(r.stdout).toMatch(/\(last: connection failed/);
    expect(r.output).not.toContain('JAUNT3005');
  }, 180_000);

  test('credentials in the base URL appear neither in the endpoint it names nor in the last error it quotes', async () => {
    const url = await refusedUrl();
    const messages: string[] = [];
    const breaker = new CircuitBreaker({ endpoint: 'http://gateway.test', threshold: 2, onOpen: (m) => messages.push(m) });
    const provider = createAnthropicProvider({
      apiKey: KEY, baseURL: url.replace('//', '//jaunt-user:PASSWORD-123@') + '/v1gw?token=QUERY-SECRET', model: 'm', maxTokens: 64,
      temperature: 0, timeoutMs: 5000, retries: 3, breaker, sleep: async () => undefined,
    });
    const err = await provider.complete({ spec: 'a', system: '', user: 'Spec: a' }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: Codes.EndpointDown });
    expect(messages).toHaveLength(1);
    for (const text of [String((err as JauntError).message), messages[0]!]) {
      expect(text).not.toMatch(/PASSWORD-123|QUERY-SECRET|jaunt-user/);
    }
    expect(redactUrls('GET https://u:p@gw.example/v1?key=abc failed')).toBe('GET https://[redacted]@gw.example/v1?[redacted] failed');
  });

  describe('against the fake API', () => {
    let server: FakeAnthropic;
    beforeEach(async () => (server = await startFakeAnthropic()));
    afterEach(() => server.close());
    const provider = (breaker: CircuitBreaker, retries = 8) => createAnthropicProvider({
      apiKey: KEY, baseURL: server.url, model: 'm', maxTokens: 64, temperature: 0, timeoutMs: 5000, retries, breaker, sleep: async () => undefined,
    });

    test('429 and 529 storms are answers, not outages: they never trip it', async () => {
      const breaker = new CircuitBreaker({ endpoint: server.url, threshold: 3 });
      server.script('a', status(529), status(429, { retryAfterMs: 1 }), status(529), status(500), status(529), text('ok'));
      expect((await provider(breaker).complete({ spec: 'a', system: '', user: 'Spec: a' })).text).toBe('ok');
      expect(breaker.isOpen).toBe(false);
    });

    test('502, 503 and 504 in a row trip it, and the next spec then fails without a request', async () => {
      const breaker = new CircuitBreaker({ endpoint: server.url, threshold: 3 });
      server.script('a', status(502), status(503), status(504), text('never'));
      const p = provider(breaker);
      const first = await p.complete({ spec: 'a', system: '', user: 'Spec: a' }).then(() => undefined, (e: unknown) => e);
      expect(first).toMatchObject({ code: Codes.EndpointDown, message: expect.stringContaining('3 requests in a row failed (last: 504') });
      const second = await p.complete({ spec: 'b', system: '', user: 'Spec: b' }).then(() => undefined, (e: unknown) => e);
      expect(second).toMatchObject({ code: Codes.EndpointDown, message: expect.stringContaining("JAUNT3011 for spec 'a' says more") });
      expect(server.requests.map((q) => q.spec)).toEqual(['a', 'a', 'a']);
    });

    test('an answer between failures starts the count again', async () => {
      const breaker = new CircuitBreaker({ endpoint: server.url, threshold: 3 });
      server.script('a', status(502), status(502), text('ok'));
      server.script('b', status(502), status(502), text('ok'));
      const p = provider(breaker);
      await p.complete({ spec: 'a', system: '', user: 'Spec: a' });
      await p.complete({ spec: 'b', system: '', user: 'Spec: b' });
      expect(breaker.isOpen).toBe(false);
    });
  });
});

describe('builds that share a cache', () => {
  test('four concurrent `jaunt build`s of one project pay for each spec once', async () => {
    const p = project(8);
    const server = await startFakeAnthropic({ latencyMs: 400 });
    server.fallback((req) => (req.spec ? code(p.implementation(req.spec)) : undefined));
    try {
      const env = cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
      const runs = await Promise.all([0, 1, 2, 3].map(() => runNode([JAUNT, 'build'], { cwd: p.dir, env, timeoutMs: 170_000 })));
      for (const r of runs) {
        expect(r.output).not.toMatch(STACK_FRAME);
        expect(r.status).toBe(0);
      }
      const perSpec = new Map<string, number>();
      for (const q of server.requests) perSpec.set(q.spec!, (perSpec.get(q.spec!) ?? 0) + 1);
      expect(Object.fromEntries(perSpec)).toEqual(Object.fromEntries(p.specs.map((s) => [s.name, 1])));
      expect(cachedEntries(p.dir).filter((e) => e.lookup.status === 'hit')).toHaveLength(p.specs.length);
      expect(fs.readdirSync(path.join(p.dir, '.jaunt')).filter((f) => !f.endsWith('.ts'))).toEqual([]);
    } finally {
      await server.close();
    }
  }, 180_000);

  test('a lock left by a killed build is taken over at once, and the spec is generated once', async () => {
    const p = project(2);
    const server = await startFakeAnthropic();
    server.fallback((req) => (req.spec ? code(p.implementation(req.spec)) : undefined));
    try {
      // A pid that surely belongs to no process any more: a child that has exited.
      const child = await runAsync('node', ['-e', 'console.log(process.pid)'], { cwd: p.dir, env: cleanEnv() });
      const deadPid = Number(child.stdout.trim());
      const hash = await specHash(p, 'spec0');
      fs.mkdirSync(path.join(p.dir, '.jaunt'), { recursive: true });
      const lock = path.join(p.dir, '.jaunt', `spec0.${hash}.lock`);
      fs.writeFileSync(lock, JSON.stringify({ pid: deadPid, host: os.hostname(), since: new Date().toISOString(), token: 'killed' }));
      const r = await jaunt(p.dir, ['build'], cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url }));
      expect(r.status).toBe(0);
      expect(r.stderr).toContain(`jaunt: spec0: took over a stale lock: its owner, pid ${deadPid}, is gone`);
      expect(server.requests.filter((q) => q.spec === 'spec0')).toHaveLength(1);
      expect(fs.existsSync(lock)).toBe(false);
    } finally {
      await server.close();
    }
  }, 120_000);
});

/** The hash `jaunt status --json` reports for a spec. */
async function specHash(p: ManySpecsProject, name: string): Promise<string> {
  const r = await jaunt(p.dir, ['status', '--json']);
  const json = JSON.parse(r.stdout) as { specs: { name: string; hash: string }[] };
  return json.specs.find((s) => s.name === name)!.hash;
}

// The same with every option at its default, 50 specs and a 2-minute bound, is a benchmark:
// `npm run bench -- --only deadgateway`.

