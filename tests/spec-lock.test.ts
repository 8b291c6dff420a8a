/** The per-(spec, hash) lock files that let concurrent builds pay for a spec once. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { listEntries, lookupEntry, writeEntry } from '../cache/cache-store';
import { acquireSpecLock, lockPath, readOwner } from '../cache/spec-lock';
import { resolveOptions } from '../config/options';
import { analyzeProgram } from '../core/analyze-program';
import { loadProject } from '../core/load-program';
import { generateImplementations } from '../generate/engine';
import type { GenerationEvent } from '../generate/generation-events';
import { startFakeAnthropic } from './support/fake-anthropic';
import { createManySpecs } from './support/many-specs';
import { removeProject } from './support/temp-project';

const HASH = '0123456789abcdef';
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaunt-lock-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('spec locks', () => {
  test('a lock file records its owner, is never listed as an entry, and is gone after release', async () => {
    const lock = await acquireSpecLock(dir, 'clamp', HASH);
    expect(lock?.path).toBe(path.join(dir, `clamp.${HASH}.lock`));
    expect(readOwner(lock!.path)).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(listEntries(dir)).toEqual([]);
    expect(lookupEntry(dir, 'clamp', HASH).status).toBe('missing');
    lock!.release();
    lock!.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a second taker waits for the first holder and gets the lock once it is released', async () => {
    const first = await acquireSpecLock(dir, 'clamp', HASH);
    const order: string[] = [];
    let waited = false;
    const second = acquireSpecLock(dir, 'clamp', HASH, { pollMs: 20, onWait: () => (waited = true) }).then((l) => (order.push('second'), l));
    await until('the second taker to wait', () => waited);
    order.push('release');
    first!.release();
    const lock = await second;
    expect(order).toEqual(['release', 'second']);
    expect(readOwner(lock!.path)).toMatchObject({ pid: process.pid });
    lock!.release();
  });

  test('a lock whose owner is alive but has not refreshed it past the bound is taken over', async () => {
    const file = lockPath(dir, 'clamp', HASH);
    fs.writeFileSync(file, JSON.stringify({ pid: process.ppid, host: os.hostname(), since: 'then', token: 'hung' }));
    const old = new Date(Date.now() - 5 * 60_000);
    fs.utimesSync(file, old, old);
    const why: string[] = [];
    const lock = await acquireSpecLock(dir, 'clamp', HASH, { onRecover: (w) => why.push(w) });
    expect(why).toEqual([expect.stringMatching(new RegExp(`^its owner, pid ${process.ppid}, has not refreshed it for \\d+ s$`))]);
    expect((readOwner(file) as { token: string }).token).not.toBe('hung');
    lock!.release();
  });

  test('an empty lock file (its writer died before writing) is taken over after a short grace', async () => {
    const file = lockPath(dir, 'clamp', HASH);
    fs.writeFileSync(file, '');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(file, old, old);
    const why: string[] = [];
    (await acquireSpecLock(dir, 'clamp', HASH, { onRecover: (w) => why.push(w) }))!.release();
    expect(why).toEqual(['it names no owner']);
  });

  test('the holder refreshes its lock, so a long generation is not mistaken for a dead one', async () => {
    const lock = await acquireSpecLock(dir, 'clamp', HASH, { heartbeatMs: 50 });
    const old = new Date(Date.now() - 5 * 60_000);
    fs.utimesSync(lock!.path, old, old);
    await until('a heartbeat', () => Date.now() - fs.statSync(lock!.path).mtimeMs < 60_000);
    lock!.release();
  });

  test('an unwritable cache folder gives no lock instead of an error, so generation goes on and its write reports why', async () => {
    const blocked = path.join(dir, 'file');
    fs.writeFileSync(blocked, 'not a folder');
    expect(await acquireSpecLock(path.join(blocked, '.jaunt'), 'clamp', HASH)).toBeUndefined();
  });
});

describe('the engine under a held lock', () => {
  test('a build that finds a spec locked waits, then reuses the entry the holder wrote without sending a request', async () => {
    const p = createManySpecs({ count: 1, files: 1, depth: 0, label: 'lock-engine' });
    const server = await startFakeAnthropic();
    try {
      const program = loadProject(ts, path.join(p.dir, 'tsconfig.json')).program;
      const analysis = analyzeProgram(ts, program, p.dir);
      const spec = analysis.specs[0]!;
      const options = { ...resolveOptions({}, p.dir), baseURL: server.url };
      const holder = await acquireSpecLock(options.cacheDir, spec.ir.name, spec.hash!);
      const events: GenerationEvent[] = [];
      const run = generateImplementations({ ts, program, analysis, options, apiKey: 'sk-ant-test-lock', specs: [spec], onEvent: (e) => events.push(e) });
      await until('the build to wait', () => events.some((e) => e.type === 'waiting'));
      writeEntry(options.cacheDir, { name: spec.ir.name, hash: spec.hash!, file: spec.ir.file, model: 'other build', body: p.implementation(spec.ir.name) });
      holder!.release();
      const report = await run;
      expect(report.outcomes[0]).toMatchObject({ status: 'generated', inputTokens: 0, attempts: 0 });
      expect(events.map((e) => e.type)).toEqual(['waiting', 'done']);
      expect(events[1]).toMatchObject({ reused: true });
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
      removeProject(p.dir);
    }
  });
});
