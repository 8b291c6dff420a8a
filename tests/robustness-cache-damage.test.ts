import * as fs from 'node:fs';
import * as path from 'node:path';
import { code, startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic';
import { STACK_FRAME, cachedEntries, createManySpecs, type ManySpecsProject } from './support/many-specs';
import { cleanEnv, runAsync, type RunResult } from './support/spawn-async';
import { tspc } from './support/fixture-project';
import { removeProject } from './support/temp-project';

const KEY = 'sk-ant-test-cache-damage';

describe('a damaged cache fails the specs it touches, clearly, and never crashes tspc', () => {
  let p: ManySpecsProject;
  let server: FakeAnthropic;
  /** The cache as the first (generating) build wrote it, file name to bytes. */
  let pristine: Map<string, Buffer>;
  const cacheDir = () => path.join(p.dir, '.jaunt');
  const entryFile = (spec: string) => path.join(cacheDir(), cachedEntries(p.dir).find((e) => e.name === spec)!.file);

  /** tspc as CI runs it: a key and a reachable server are set, but CI forbids generating. */
  const ciBuild = async (): Promise<RunResult> => {
    fs.rmSync(path.join(p.dir, 'out'), { recursive: true, force: true });
    const before = server.requests.length;
    const r = await tspc(['-p', p.dir], {
      cwd: p.dir, env: cleanEnv({ CI: 'true', ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url }), timeoutMs: 150_000,
    });
    expect(server.requests.length).toBe(before);
    expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
    expect(r.signal).toBeNull();
    return r;
  };

  /** Per spec, what main.js printed: the value, or "threw". */
  const runMain = async (): Promise<Map<string, string>> => {
    const run = await runAsync('node', [path.join(p.dir, 'out', 'main.js')], { cwd: p.dir, env: cleanEnv() });
    expect(run.status).toBe(0);
    return p.parseOutput(run.stdout);
  };

  /** What main.js should print when the specs in `broken` have no implementation. */
  const expectedWith = (broken: string[]): Map<string, string> => {
    const down = new Set(broken.flatMap((b) => [b, ...p.dependentsOf(b)]));
    return new Map(p.specs.map((s) => [s.name, down.has(s.name) ? 'threw' : String(p.expectedValue(s.name))]));
  };

  beforeAll(async () => {
    p = createManySpecs({ count: 8, files: 3, label: 'cache-damage' });
    server = await startFakeAnthropic({ latencyMs: 5 });
    server.fallback((req) => (req.spec ? code(p.implementation(req.spec)) : undefined));
    const r = await tspc(['-p', p.dir], {
      cwd: p.dir, env: cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url }), timeoutMs: 150_000,
    });
    expect(r.status).toBe(0);
    pristine = new Map(fs.readdirSync(cacheDir()).map((f) => [f, fs.readFileSync(path.join(cacheDir(), f))]));
    expect([...pristine.keys()].filter((f) => f.endsWith('.ts'))).toHaveLength(p.specs.length);
  }, 180_000);

  beforeEach(() => {
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    fs.mkdirSync(cacheDir());
    for (const [f, bytes] of pristine) fs.writeFileSync(path.join(cacheDir(), f), bytes);
  });

  afterAll(async () => {
    await server?.close();
    if (p) {
      fs.rmSync(cacheDir(), { recursive: true, force: true });
      removeProject(p.dir);
    }
  });

  test('a truncated, a garbage and a re-headed entry each fail only their own spec with JAUNT2002', async () => {
    const [truncated, garbage, reheaded] = [p.specs[0]!.name, p.specs[3]!.name, p.specs[5]!.name];
    const cut = fs.readFileSync(entryFile(truncated), 'utf8');
    fs.writeFileSync(entryFile(truncated), cut.slice(0, Math.floor(cut.length / 2)));
    // Invalid UTF-8, NULs and control bytes: whatever a bad disk or a bad merge leaves.
    fs.writeFileSync(entryFile(garbage), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 151 + 7) % 256)));
    const headed = fs.readFileSync(entryFile(reheaded), 'utf8');
    const hash = /^ \* hash: ([0-9a-f]{16})$/m.exec(headed)![1]!;
    fs.writeFileSync(entryFile(reheaded), headed.replace(` * hash: ${hash}`, ` * hash: ${hash.split('').reverse().join('')}`));
    const damaged = new Map([truncated, garbage, reheaded].map((n) => [n, fs.readFileSync(entryFile(n))]));

    const r = await ciBuild();
    const out = r.stdout + r.stderr;
    for (const [name] of damaged) {
      expect(out).toMatch(new RegExp(`error TS992002: JAUNT2002: cache entry \\.jaunt/${name}\\.[0-9a-f]{16}\\.ts for spec '${name}' is unusable`));
    }
    expect(out).toMatch(new RegExp(`spec '${reheaded}' is unusable \\(header says ${reheaded} `));
    expect([...out.matchAll(/JAUNT2002: cache entry \.jaunt\/(spec\d+)\./g)].map((m) => m[1]).sort()).toEqual([...damaged.keys()].sort());
    expect(out).not.toMatch(/JAUNT200[134]/);
    expect(r.status).not.toBe(0);
    expect(await runMain()).toEqual(expectedWith([...damaged.keys()]));
    // The build reads a damaged entry; it never rewrites or deletes it.
    for (const [name, bytes] of damaged) expect(fs.readFileSync(entryFile(name)).equals(bytes)).toBe(true);
  }, 150_000);

  test('a hand-edited body is used as is, with warning JAUNT2003 and no error, and the edit is what runs', async () => {
    const top = p.specs.find((s) => s.level > 0 && p.dependentsOf(s.name).length === 0)!.name;
    const file = entryFile(top);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/return x \+/);
    fs.writeFileSync(file, text.replace('return x +', 'return 1000 + x +'));

    const r = await ciBuild();
    const out = r.stdout + r.stderr;
    expect(out).toMatch(new RegExp(`warning TS992003: JAUNT2003: cache entry \\.jaunt/${top}\\.[0-9a-f]{16}\\.ts for spec '${top}' was edited by hand`));
    // Only the warning: no error of any kind. (Its exit code is build-failures.test.ts's concern.)
    expect(out).not.toMatch(/error/);
    const want = expectedWith([]);
    want.set(top, String(p.expectedValue(top) + 1000));
    expect(await runMain()).toEqual(want);
  }, 150_000);

  test('a missing .jaunt folder reports JAUNT2001 for every spec and creates nothing', async () => {
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    const r = await ciBuild();
    const out = r.stdout + r.stderr;
    const missing = [...out.matchAll(/error TS992001: JAUNT2001: spec '(spec\d+)'.*has no cached implementation/g)].map((m) => m[1]!);
    expect(missing.sort()).toEqual(p.specs.map((s) => s.name).sort());
    expect(out).toMatch(/CI is set/);
    expect(r.status).not.toBe(0);
    expect(fs.existsSync(cacheDir())).toBe(false);
    expect(await runMain()).toEqual(expectedWith(p.specs.map((s) => s.name)));
  }, 150_000);

  test('a cache folder that cannot be written fails a generating build with a clear diagnostic, not a crash', async () => {
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    const root = process.getuid?.() === 0;
    // Root writes through chmod 555, so as root the cache path is made a file instead: mkdir and writes fail.
    if (root) fs.writeFileSync(cacheDir(), 'not a folder\n');
    else fs.mkdirSync(cacheDir(), { mode: 0o555 });
    const before = server.requests.length;
    let r: RunResult;
    try {
      r = await tspc(['-p', p.dir], {
        cwd: p.dir, env: cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url }), timeoutMs: 150_000,
      });
    } finally {
      if (!root) fs.chmodSync(cacheDir(), 0o755);
    }
    const out = r.stdout + r.stderr;
    expect(out).not.toMatch(STACK_FRAME);
    expect(r.signal).toBeNull();
    expect(r.status).not.toBe(0);
    // It did try to generate, and says why nothing was kept.
    expect(server.requests.length).toBeGreaterThan(before);
    expect(out).toMatch(root
      ? /JAUNT2006: spec 'spec\d+' could not be generated: cannot write cache entry \S+: a file is in the way of the cache folder/
      : /JAUNT2006: spec 'spec\d+' could not be generated: cannot write cache entry \S+: no permission to write/);
    // The first failed write stops the run: at most the specs already in flight were paid for.
    expect(server.requests.length - before).toBeLessThanOrEqual(4);
    expect(out).not.toMatch(/internal error/);
    const reported = new Set([...out.matchAll(/JAUNT(?:2006|3001|3002): spec '(spec\d+)'/g)].map((m) => m[1]!));
    expect([...reported].sort()).toEqual(p.specs.map((s) => s.name).sort());
    if (root) expect(fs.readFileSync(cacheDir(), 'utf8')).toBe('not a folder\n');
    else expect(fs.readdirSync(cacheDir())).toEqual([]);
    expect(await runMain()).toEqual(expectedWith(p.specs.map((s) => s.name)));
  }, 180_000);
});
