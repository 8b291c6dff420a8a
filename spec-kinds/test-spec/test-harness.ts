/**
 * The script a sandboxed run of test specs executes: jest's globals as far as a test file needs them to
 * load (`test`/`it` collect, `describe` runs its body, top-level hooks run around each test) and jest's
 * own `expect`, resolved from the project's node_modules. It runs only the tests that test specs
 * registered, and reports each as one line of JSON behind a nonce the code under test never sees.
 */
import type * as TS from 'typescript';

export const TEST_NONCE_VARIABLE = 'JAUNT_RUN_NONCE';

export interface HarnessTest {
  id: string;
  /** The registered title and function name that identify the test spec's `test(...)` call. */
  title: string;
  name: string;
}

export interface HarnessTestModule {
  path: string;
  tests: HarnessTest[];
}

/** Where jest's packages resolve from the project, as file URLs (the run imports exactly those). */
export interface JestPackages {
  expect: string;
  jestMock: string;
}

const RUNTIME = String.raw`
import { writeSync } from 'node:fs';
const NONCE = process.env.${TEST_NONCE_VARIABLE} ?? '';
delete process.env.${TEST_NONCE_VARIABLE};
const send = (event: object) => { writeSync(1, '\n' + NONCE + JSON.stringify(event) + '\n'); };
const errorText = (e: unknown): string => {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const err = e as Error;
    return String(err.message).replace(/\u001b\[[0-9;]*m/g, '').slice(0, 2000);
  }
  return 'a thrown ' + String(e);
};
let current: string | undefined;
process.on('unhandledRejection', (e) => send({ t: 'stray', id: current, error: errorText(e) }));
process.on('uncaughtException', (e) => send({ t: 'stray', id: current, error: errorText(e) }));
type Fn = (...args: unknown[]) => unknown;
let registered: { title: string; fn: Fn }[] = [];
let hooks: Record<string, Fn[]> = {};
let depth = 0;
const g = globalThis as Record<string, unknown>;
const collect = (title: unknown, fn: unknown) => { if (depth === 0 && typeof fn === 'function') registered.push({ title: String(title), fn: fn as Fn }); };
const quiet = () => undefined;
const testFn = Object.assign(collect, { only: collect, skip: quiet, todo: quiet, concurrent: collect, failing: quiet, each: () => quiet });
g.test = testFn;
g.it = testFn;
g.xit = quiet;
g.xtest = quiet;
g.fit = collect;
const describe = (_name: unknown, body: unknown) => { depth++; try { if (typeof body === 'function') (body as Fn)(); } finally { depth--; } };
g.describe = Object.assign(describe, { only: describe, skip: quiet, each: () => quiet });
g.xdescribe = quiet;
for (const hook of ['beforeAll', 'beforeEach', 'afterEach', 'afterAll']) g[hook] = (fn: unknown) => { if (depth === 0 && typeof fn === 'function') (hooks[hook] ??= []).push(fn as Fn); };
try {
  const mod = await import(EXPECT_URL) as { expect?: unknown; default?: { expect?: unknown } };
  g.expect = mod.expect ?? mod.default?.expect ?? mod.default;
} catch (e) {
  send({ t: 'no-expect', error: errorText(e) });
}
try {
  const mock = await import(JEST_MOCK_URL) as { fn?: unknown; spyOn?: unknown };
  g.jest = { fn: mock.fn, spyOn: mock.spyOn };
} catch {
  // jest.fn is only there when jest-mock resolves; a generated test never needs it.
}
const runAll = async (list: Fn[] | undefined) => { for (const h of list ?? []) await h(); };
`;

/** The harness as TypeScript: each test module loads, then its test specs' tests run in order. */
export function testHarnessSource(modules: readonly HarnessTestModule[], packages: JestPackages): string {
  const urls = `const EXPECT_URL = ${JSON.stringify(packages.expect)};\nconst JEST_MOCK_URL = ${JSON.stringify(packages.jestMock)};\n`;
  const body: string[] = [urls + RUNTIME, `send({ t: 'ready' });`];
  for (const m of modules) {
    body.push(`{
  registered = []; hooks = {};
  send({ t: 'load', module: ${JSON.stringify(m.path)} });
  let loaded = false;
  try { await import(new URL(${JSON.stringify(`./${m.path}`)}, import.meta.url).href); loaded = true; }
  catch (e) { send({ t: 'load-failed', module: ${JSON.stringify(m.path)}, error: errorText(e) }); }
  if (loaded) {
    try { await runAll(hooks.beforeAll); } catch (e) { send({ t: 'hook-failed', module: ${JSON.stringify(m.path)}, error: 'beforeAll: ' + errorText(e) }); }
    const tests = ${JSON.stringify(m.tests)};
    for (const t of tests) {
      current = t.id;
      send({ t: 'start', id: t.id });
      const found = registered.find((r) => r.title === t.title && r.fn.name === t.name);
      if (!found) { send({ t: 'result', id: t.id, ok: false, error: 'the file registered no test ' + JSON.stringify(t.title) }); continue; }
      try {
        await runAll(hooks.beforeEach);
        await found.fn();
        await runAll(hooks.afterEach);
        send({ t: 'result', id: t.id, ok: true });
      } catch (e) { send({ t: 'result', id: t.id, ok: false, error: errorText(e) }); }
    }
    current = undefined;
    try { await runAll(hooks.afterAll); } catch { /* the tests' results stand */ }
  }
}`);
  }
  body.push(`send({ t: 'done' });`);
  return body.join('\n');
}

export function testHarnessScript(ts: typeof TS, modules: readonly HarnessTestModule[], packages: JestPackages): string {
  return ts.transpileModule(testHarnessSource(modules, packages), {
    fileName: 'test-harness.mts',
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  }).outputText;
}
