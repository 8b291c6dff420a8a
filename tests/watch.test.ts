/**
 * `tspc --watch`: the plugin runs again on every rebuild, sees cache entries written meanwhile, and
 * keeps a spec's implementation across edits that leave its hash alone.
 */
import * as fs from 'node:fs';
import { FixtureProject, lastJsonLine, type WatchedProcess } from './support/fixture-project';

const REBUILD_MS = 90_000;
const SUMMARY = /Found (\d+) errors?\. Watching for file changes/g;

/** The error count of the last build summary in `output`. */
function lastErrorCount(output: string): number {
  const counts = [...output.matchAll(SUMMARY)].map((m) => Number(m[1]));
  if (counts.length === 0) throw new Error(`no build summary in:\n${output}`);
  return counts[counts.length - 1]!;
}

let project: FixtureProject;
let watcher: WatchedProcess | undefined;

/**
 * Waits for rebuilds after `mark` until `done` holds for one (an editor's write can reach the watcher
 * as two changes, hence two rebuilds); returns the output of the build that satisfied it.
 */
async function untilBuild(mark: number, done: (output: string) => Promise<boolean> | boolean): Promise<string> {
  const deadline = Date.now() + REBUILD_MS;
  let from = mark;
  for (;;) {
    const output = await watcher!.waitFor(/Found \d+ errors?\. Watching for file changes/, from, Math.max(1, deadline - Date.now()));
    from += output.search(/Found \d+ errors?\. Watching for file changes/) + 1;
    if (await done(output)) return output;
  }
}

beforeAll(async () => {
  project = FixtureProject.copy('basic-cjs');
  watcher = project.watch();
  await watcher.waitFor(/Found 0 errors\. Watching for file changes/, 0, REBUILD_MS);
}, REBUILD_MS + 10_000);

afterAll(async () => {
  await watcher?.stop();
  project?.cleanup();
});

test('the first watch build splices the committed implementations', async () => {
  expect(lastJsonLine(await project.node('out/main.js'))).toMatchObject({ early: 10, c: 0 });
});

test('an edit to a `//` comment only rebuilds with the same implementation and no error', async () => {
  const mark = watcher!.mark();
  project.edit('src/math.ts', (t) => t.replace('// Code above a spec can call it', '// Code above a spec may call it'));
  const output = await untilBuild(mark, () => project.read('out/math.js').includes('// Code above a spec may call it'));
  expect(lastErrorCount(output)).toBe(0);
  expect(lastJsonLine(await project.node('out/main.js'))).toMatchObject({ early: 10, c: 0 });
}, REBUILD_MS + 10_000);

test('a contract edit rebuilds with the missing entry reported', async () => {
  const mark = watcher!.mark();
  project.edit('src/math.ts', (t) => t.replace(
    ' * Clamp `value` into the inclusive range [min, max].',
    ' * Clamp `value` into the inclusive range [min, max], then add 100.',
  ));
  const failed = await untilBuild(mark, (out) => out.includes("JAUNT2001: spec 'clamp'"));
  expect(lastErrorCount(failed)).toBeGreaterThan(0);
}, REBUILD_MS + 10_000);

let rebuilt = '';

test('once the new contract\'s entry is written, the next rebuild splices the new implementation', async () => {
  // Author the implementation of the new contract, as `jaunt build` would.
  project.write('impl2/clamp.ts', [
    'export function clamp(v: number, lo: number, hi: number): number {',
    '  if (lo > hi) throw new RangeError(`min ${lo} > max ${hi}`);',
    '  return Math.min(hi, Math.max(lo, v)) + 100;',
    '}',
    '',
  ].join('\n'));
  fs.copyFileSync(project.path('impl/sha256.ts'), project.path('impl2/sha256.ts'));
  expect(project.authorOffline('tsconfig.json', 'impl2').written.sort()).toEqual(['clamp', 'sha256']);
  expect(project.entries().filter((e) => e.includes('/clamp.')).length).toBe(2);

  // Entries are not program files: the watcher rebuilds on the next source change (one that keeps the hash).
  const mark = watcher!.mark();
  project.edit('src/math.ts', (t) => t.replace('// Code above a spec may call it', '// Code above a spec can still call it'));
  rebuilt = await untilBuild(mark, () => project.read('out/math.js').includes('// Code above a spec can still call it'));
  expect(lastJsonLine(await project.node('out/main.js'))).toMatchObject({ early: 110, c: 100 });
}, REBUILD_MS + 10_000);

test('that rebuild reports no error: the missing entry of the earlier build is not reported again', () => {
  expect(rebuilt).not.toBe('');
  expect(rebuilt).not.toContain('JAUNT2001');
  expect(lastErrorCount(rebuilt)).toBe(0);
});

test('the watcher stops when asked', async () => {
  await watcher!.stop();
  expect(watcher!.child.exitCode !== null || watcher!.child.signalCode !== null).toBe(true);
  watcher = undefined;
});
