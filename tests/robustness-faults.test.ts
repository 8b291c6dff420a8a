import * as path from 'node:path';
import {
  code, malformed, noCodeBlock, reset, startFakeAnthropic, status, type FakeAnthropic, type FakeReply, type RecordedRequest,
} from './support/fake-anthropic';
import { STACK_FRAME, cachedEntries, createManySpecs, tmpLeftovers, type ManySpecsProject } from './support/many-specs';
import { cleanEnv, runAsync, type RunResult } from './support/spawn-async';
import { tspc } from './support/fixture-project';
import { removeProject } from './support/temp-project';
import { seededRandom } from './support/prng';

// JAUNT_FAULT_SEED=<n> replays another fault plan; the seed is in the test's name.
const SEED = Number(process.env.JAUNT_FAULT_SEED ?? 20251124) >>> 0;

const FAULTS = ['429', '529', '500', 'reset', 'malformed', 'noCodeBlock', 'typeError', 'wrongName'] as const;
type Choice = 'correct' | (typeof FAULTS)[number];
/** Weights per request: most answers are right, transport faults are retried by the provider, bad candidates spend attempts. */
const WEIGHTS: [Choice, number][] = [
  ['correct', 40], ['429', 7], ['529', 7], ['500', 7], ['reset', 7], ['malformed', 7], ['noCodeBlock', 8], ['typeError', 8], ['wrongName', 9],
];

/** FNV-1a, so a request's fault depends on (seed, spec, n) only and not on the order requests arrive in. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}


function pick(random: number): Choice {
  const total = WEIGHTS.reduce((n, [, w]) => n + w, 0);
  let r = random * total;
  for (const [choice, w] of WEIGHTS) {
    if (r < w) return choice;
    r -= w;
  }
  return 'correct';
}

function reply(p: ManySpecsProject, spec: string, choice: Choice): FakeReply {
  const right = p.implementation(spec);
  switch (choice) {
    case 'correct': return code(right);
    case '429': return status(429, { retryAfterMs: 50 });
    case '529': return status(529, { retryAfterMs: 50 });
    // No retry-after: the provider's own backoff.
    case '500': return status(500);
    case 'reset': return reset();
    case 'malformed': return malformed();
    case 'noCodeBlock': return noCodeBlock();
    case 'typeError': return code(right.replace(/return (.*);/, "return 'n=' + ($1);"));
    case 'wrongName': return code(right.replace(`function ${spec}(`, `function ${spec}Impl(`));
  }
}

function reportedSpecs(output: string, code: 3001 | 3002 | 3005): Set<string> {
  return new Set([...output.matchAll(new RegExp(`JAUNT${code}: spec '(spec\\d+)'`, 'g'))].map((m) => m[1]!));
}

describe('a 30-spec build under random provider faults', () => {
  let p: ManySpecsProject;
  let server: FakeAnthropic;
  /** What the fake chose for each request, in arrival order. */
  const served: { spec: string; choice: Choice }[] = [];
  // A spec with dependents that never gets a valid candidate: it must exhaust its attempts.
  let doomed: string;
  let result: RunResult;

  beforeAll(async () => {
    p = createManySpecs({ label: 'faults', plugin: { attempts: 3, retries: 4, concurrency: 6, timeoutMs: 20_000 } });
    doomed = p.specs.find((s) => s.level === 1 && p.dependentsOf(s.name).length > 0)!.name;
    // The first request of the first level-0 specs gets one of each fault, so every kind occurs whatever the seed.
    const forced = new Map(p.specs.filter((s) => s.level === 0).slice(0, FAULTS.length).map((s, i) => [s.name, FAULTS[i]!]));
    const counts = new Map<string, number>();
    server = await startFakeAnthropic({ latencyMs: 5 });
    server.fallback((req: RecordedRequest) => {
      if (!req.spec) return undefined;
      const n = counts.get(req.spec) ?? 0;
      counts.set(req.spec, n + 1);
      let choice: Choice;
      if (req.spec === doomed) choice = n % 2 === 0 ? 'typeError' : 'wrongName';
      else if (n === 0 && forced.has(req.spec)) choice = forced.get(req.spec)!;
      else choice = pick(seededRandom(hash32(`${SEED}/${req.spec}/${n}`))());
      served.push({ spec: req.spec, choice });
      return reply(p, req.spec, choice);
    });
    result = await tspc(['-p', p.dir], {
      cwd: p.dir, env: cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-test-robustness', ANTHROPIC_BASE_URL: server.url }), timeoutMs: 200_000,
    });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    if (p) removeProject(p.dir);
  });

  const output = () => result.stdout + result.stderr;

  test(`every spec ends cached with a valid entry or reported with JAUNT3001/3002/3005 (seed ${SEED})`, () => {
    // 3005: a spec whose provider retries ran out; 3001: attempts ran out; 3002: a dependency failed.
    const failed = new Set([...reportedSpecs(output(), 3001), ...reportedSpecs(output(), 3005)]);
    const skipped = reportedSpecs(output(), 3002);
    const entries = cachedEntries(p.dir);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const problems: string[] = [];
    for (const s of p.specs) {
      const entry = byName.get(s.name);
      const reported = failed.has(s.name) || skipped.has(s.name);
      if (entry && reported) problems.push(`${s.name}: cached and reported`);
      if (!entry && !reported) problems.push(`${s.name}: neither cached nor reported`);
      if (entry && entry.lookup.status !== 'hit') problems.push(`${s.name}: entry is ${entry.lookup.status}`);
    }
    expect({ problems, seed: SEED }).toEqual({ problems: [], seed: SEED });
    expect(entries).toHaveLength(new Set(entries.map((e) => e.name)).size);
    expect(tmpLeftovers(p.dir)).toEqual([]);
    expect(output()).toMatch(new RegExp(`jaunt: generated ${entries.length}, reused 0, failed ${failed.size + skipped.size} `));
  });

  test(`no entry exists for a spec that was never sent a valid candidate (seed ${SEED})`, () => {
    const answered = new Set(served.filter((s) => s.choice === 'correct').map((s) => s.spec));
    const cached = new Set(cachedEntries(p.dir).map((e) => e.name));
    expect({ cachedWithoutAnswer: [...cached].filter((n) => !answered.has(n)), seed: SEED }).toEqual({ cachedWithoutAnswer: [], seed: SEED });
    // And a valid answer is never lost: it is cached.
    expect({ answeredNotCached: [...answered].filter((n) => !cached.has(n)), seed: SEED }).toEqual({ answeredNotCached: [], seed: SEED });
  });

  test(`a spec whose every candidate is wrong exhausts its attempts and its dependents are never requested (seed ${SEED})`, () => {
    expect(output()).toMatch(new RegExp(`JAUNT3001: spec '${doomed}' could not be generated: no valid implementation after 3 attempts`));
    expect(server.requests.filter((q) => q.spec === doomed)).toHaveLength(3);
    const skipped = reportedSpecs(output(), 3002);
    for (const dependent of p.dependentsOf(doomed)) {
      expect({ dependent, skipped: skipped.has(dependent) }).toEqual({ dependent, skipped: true });
    }
    for (const name of skipped) expect({ name, requests: server.requests.filter((q) => q.spec === name).length }).toEqual({ name, requests: 0 });
  });

  test(`every kind of fault was served and retried past (seed ${SEED})`, () => {
    const kinds = new Set(served.map((s) => s.choice));
    expect([...FAULTS].filter((f) => !kinds.has(f))).toEqual([]);
    // Transport faults are retried by the provider, so they show as retry lines, not as rejected attempts.
    expect(output()).toMatch(/: 429 rate_limit_error.*; retrying in/);
    expect(output()).toMatch(/: 529 overloaded_error.*; retrying in/);
    expect(output()).toMatch(/: malformed response.*; retrying in/);
    expect(output()).toMatch(/: connection failed.*; retrying in/);
    expect(output()).toMatch(/attempt \d rejected: .*TS2322/);
  });

  test(`the build exits non-zero exactly when a spec is reported (seed ${SEED})`, () => {
    const reported = reportedSpecs(output(), 3001).size + reportedSpecs(output(), 3002).size;
    expect({ nonZero: result.status !== 0, reported: reported > 0 }).toEqual({ nonZero: reported > 0, reported: reported > 0 });
    expect(result.signal).toBeNull();
    expect(output()).not.toMatch(STACK_FRAME);
  });

  test(`the emitted program runs every cached implementation correctly and throws for the rest (seed ${SEED})`, async () => {
    const run = await runAsync('node', [path.join(p.dir, 'out', 'main.js')], { cwd: p.dir, env: cleanEnv() });
    expect(run.status).toBe(0);
    const printed = p.parseOutput(run.stdout);
    const cached = new Set(cachedEntries(p.dir).map((e) => e.name));
    const wrong = p.specs.flatMap((s) => {
      const want = cached.has(s.name) ? String(p.expectedValue(s.name)) : 'threw';
      return printed.get(s.name) === want ? [] : [`${s.name}: printed ${printed.get(s.name)}, want ${want}`];
    });
    expect({ wrong, seed: SEED }).toEqual({ wrong: [], seed: SEED });
  });
});
