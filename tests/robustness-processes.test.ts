import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { code, delay, startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic';
import { STACK_FRAME, cachedEntries, createManySpecs, tmpLeftovers, type ManySpecsProject } from './support/many-specs';
import { cleanEnv, runAsync, type RunResult } from './support/spawn-async';
import { TSPC, removeProject } from './support/temp-project';

const KEY = 'sk-ant-test-processes';

/** A fake that answers every spec correctly. */
async function correctServer(p: ManySpecsProject, latencyMs: number): Promise<FakeAnthropic> {
  const server = await startFakeAnthropic({ latencyMs });
  server.fallback((req) => (req.spec ? code(p.implementation(req.spec)) : undefined));
  return server;
}

function buildEnv(server: FakeAnthropic): NodeJS.ProcessEnv {
  return cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
}

/** Starts tspc without waiting for it, so a test can signal it; `done` settles when it has exited. */
function startBuild(p: ManySpecsProject, env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn('node', [TSPC, '-p', p.dir], { cwd: p.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(guard);
      resolve({ status, signal, stdout, stderr, output: stdout + stderr });
    });
  });
  return { child, done };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * ts-patch guards its own cache of the patched compiler with a lock it waits on for 2 s at most: on a
 * loaded machine a concurrent tspc can give up before Jaunt runs at all. That is ts-patch's start-up, not
 * what these tests are about, so such a build is started again.
 */
const TS_PATCH_LOCK = /Could not acquire lock to write file/;

async function build(p: ManySpecsProject, server: FakeAnthropic, extra: string[] = []): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    const r = await runAsync('node', [TSPC, '-p', p.dir, ...extra], { cwd: p.dir, env: buildEnv(server), timeoutMs: 180_000 });
    if (!TS_PATCH_LOCK.test(r.stderr) || attempt === 3) return r;
  }
}

/** What the emitted main.js prints, checked against every spec's expected value. */
async function wrongOutputs(p: ManySpecsProject, outDir = 'out'): Promise<string[]> {
  const run = await runAsync('node', [path.join(p.dir, outDir, 'main.js')], { cwd: p.dir, env: cleanEnv() });
  const printed = p.parseOutput(run.stdout);
  return p.specs.flatMap((s) => printed.get(s.name) === String(p.expectedValue(s.name)) ? [] : [`${s.name}: ${printed.get(s.name)}`]);
}

function invalidEntries(p: ManySpecsProject): string[] {
  return cachedEntries(p.dir).flatMap((e) => (e.lookup.status === 'hit' ? [] : [`${e.file}: ${e.lookup.status}`]));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('builds that share a cache or are killed mid-generation leave it usable', () => {
  const projects: ManySpecsProject[] = [];
  const servers: FakeAnthropic[] = [];
  const project = (count: number, plugin: Record<string, unknown> = {}) => {
    const p = createManySpecs({ count, files: 4, label: 'processes', plugin: { timeoutMs: 20_000, ...plugin } });
    projects.push(p);
    return p;
  };
  const server = async (p: ManySpecsProject, latencyMs: number) => {
    const s = await correctServer(p, latencyMs);
    servers.push(s);
    return s;
  };

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    projects.forEach((p) => removeProject(p.dir));
  });

  test('four concurrent builds of one project, each with its own outDir, all succeed and leave only whole entries', async () => {
    const p = project(8);
    const s = await server(p, 20);
    const results = await Promise.all([0, 1, 2, 3].map((i) => build(p, s, ['--outDir', path.join(p.dir, `out${i}`)])));
    for (const r of results) {
      expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
      expect(r.stdout + r.stderr).not.toMatch(/JAUNT\d{4}/);
      expect(r.status).toBe(0);
    }
    expect(cachedEntries(p.dir).map((e) => e.name).sort()).toEqual(p.specs.map((x) => x.name).sort());
    expect(invalidEntries(p)).toEqual([]);
    expect(tmpLeftovers(p.dir)).toEqual([]);
    for (const i of [0, 1, 2, 3]) expect(await wrongOutputs(p, `out${i}`)).toEqual([]);
    // Every spec was asked for at least once, and no build asked more than once per spec.
    const perSpec = new Map<string, number>();
    for (const q of s.requests) perSpec.set(q.spec!, (perSpec.get(q.spec!) ?? 0) + 1);
    expect([...perSpec.keys()].sort()).toEqual(p.specs.map((x) => x.name).sort());
    expect(Math.max(...perSpec.values())).toBeLessThanOrEqual(4);
  }, 240_000);

  test('after a SIGKILL mid-generation, a rerun requests only the specs that were not cached and succeeds', async () => {
    const p = project(12);
    const slow = await server(p, 300);
    // Specs above level 0 answer slowly, so the kill lands while they are in flight and never after the last one.
    slow.fallback((req) => (req.spec ? delay(p.byName(req.spec).level === 0 ? 0 : 3000, code(p.implementation(req.spec))) : undefined));
    const { child, done } = startBuild(p, buildEnv(slow));
    try {
      await waitFor('the first entries', () => cachedEntries(p.dir).length >= 2);
    } finally {
      child.kill('SIGKILL');
    }
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout + killed.stderr).not.toMatch(STACK_FRAME);
    const before = cachedEntries(p.dir).map((e) => e.name);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(p.specs.length);
    // What a kill leaves is whole: an interrupted write can only leave a temp file, never a torn entry.
    expect(invalidEntries(p)).toEqual([]);

    const fast = await server(p, 5);
    const r = await build(p, fast);
    expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
    expect(r.status).toBe(0);
    const requested = fast.requests.map((q) => q.spec!).sort();
    expect(requested).toEqual(p.specs.map((x) => x.name).filter((n) => !before.includes(n)).sort());
    expect(r.stderr).toMatch(new RegExp(`jaunt: generated ${p.specs.length - before.length}, reused ${before.length}, failed 0`));
    expect(invalidEntries(p)).toEqual([]);
    expect(cachedEntries(p.dir)).toHaveLength(p.specs.length);
    expect(await wrongOutputs(p)).toEqual([]);
  }, 240_000);

  test('SIGINT during generation ends tspc with no process left behind, and a rerun succeeds', async () => {
    const p = project(8);
    const slow = await server(p, 300);
    const { child, done } = startBuild(p, buildEnv(slow));
    const pid = child.pid!;
    try {
      await waitFor('generation requests', () => slow.requests.length >= 2);
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
    child.kill('SIGINT');
    const deadline = new AbortController();
    const interrupted = await Promise.race([done, sleep(30_000, undefined, { signal: deadline.signal }).catch(() => undefined)]);
    deadline.abort();
    expect(interrupted).toBeDefined();
    expect(interrupted!.status !== 0 || interrupted!.signal !== null).toBe(true);
    expect(interrupted!.stdout + interrupted!.stderr).not.toMatch(STACK_FRAME);
    expect(isAlive(pid)).toBe(false);
    const ps = await runAsync('ps', ['-eo', 'pid,args'], { cwd: p.dir, env: cleanEnv() });
    expect(ps.status).toBe(0);
    expect(ps.stdout.split('\n').filter((line) => line.includes(p.dir))).toEqual([]);
    expect(invalidEntries(p)).toEqual([]);

    const fast = await server(p, 5);
    const r = await build(p, fast);
    expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
    expect(r.status).toBe(0);
    // Temp files an interrupted write may leave are not entries: lookups and the rerun ignore them.
    expect(invalidEntries(p)).toEqual([]);
    expect(cachedEntries(p.dir).map((e) => e.name).sort()).toEqual(p.specs.map((x) => x.name).sort());
    expect(await wrongOutputs(p)).toEqual([]);
  }, 240_000);
});
