/**
 * Runs the tests of test specs against what ships, in the sandbox that runs examples: each test file
 * and the project files it imports, rendered with their plans (cached tests, cached implementations),
 * with jest's `expect` from the project's node_modules. Nothing of it runs in Jaunt's process.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TS from 'typescript';
import type { AnalyzedSpec } from '../../core/analyze-program';
import { runnableModules, runtimeClosure } from '../../behaviour/runnable-modules';
import { nonceEvents } from '../../sandbox/nonce-events';
import { createRunFolder } from '../../sandbox/run-folder';
import { childEnding } from '../../sandbox/child-ending';
import { runSandboxed, type SandboxOutcome } from '../../sandbox/run-sandboxed';
import type { FilePlan } from '../../splice/plan-file';
import { renderPlanText } from '../../splice/render-text';
import { TEST_NONCE_VARIABLE, testHarnessScript, type HarnessTestModule } from './test-harness';
import { testTitle } from './test-title';

export interface TestRunLimits {
  timeoutMs: number;
  startupMs: number;
  memoryMb: number;
}

export const DEFAULT_TEST_LIMITS: TestRunLimits = { timeoutMs: 20_000, startupMs: 20_000, memoryMb: 512 };

export interface TestSpecRun {
  ok: boolean;
  /** jest's message for the failing expectation, or why the test could not run. */
  error?: string;
  /** The run could not judge the test (no `expect`, the sandbox ended early): not the test's failure. */
  notRun?: boolean;
}

/** A package as the project resolves it: its entry file, and the node_modules folder the run must read. */
function resolveFromProject(name: string, projectDir: string): { url: string; root: string } | undefined {
  try {
    const file = fs.realpathSync(require.resolve(name, { paths: [projectDir] }));
    const at = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    return { url: pathToFileURL(file).href, root: at < 0 ? path.dirname(file) : file.slice(0, at + '/node_modules'.length) };
  } catch {
    return undefined;
  }
}

export interface TestRunInput {
  ts: typeof TS;
  program: TS.Program;
  projectDir: string;
  /** What ships of each spec file (the test files' plans hold the cached tests). */
  plans: ReadonlyMap<string, FilePlan>;
  /** Test specs whose entries are in use. */
  tests: readonly AnalyzedSpec[];
  label(fileName: string): string;
  limits?: Partial<TestRunLimits>;
}

type Event = { t: string; id?: string; ok?: boolean; error?: string; module?: string };



const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** Each test spec's result, by spec id. */
export async function runTestSpecs(input: TestRunInput): Promise<Map<string, TestSpecRun>> {
  const { ts, program } = input;
  const limits = { ...DEFAULT_TEST_LIMITS, ...input.limits };
  const out = new Map<string, TestSpecRun>();
  if (input.tests.length === 0) return out;
  const files = [...new Set(input.tests.map((t) => t.found.sourceFile))];
  const textOf = (sf: TS.SourceFile) => {
    const plan = input.plans.get(sf.fileName);
    return plan ? renderPlanText(plan, sf.text).text : sf.text;
  };
  const runnable = runnableModules(ts, program, runtimeClosure(ts, program, files), textOf);
  const modules: HarnessTestModule[] = files.map((sf) => ({
    path: runnable.pathOf.get(sf.fileName)!,
    tests: input.tests.filter((t) => t.found.sourceFile === sf)
      .map((t) => ({ id: t.id, name: t.ir.name, title: testTitle(t.ir.description, t.ir.name) })),
  }));
  // jest's own `expect`, as the project's jest would load it; the run may read the folder it lives in.
  const expectPackage = resolveFromProject('expect', input.projectDir);
  if (!expectPackage) {
    const why = 'jest\'s `expect` package does not resolve from the project: install jest in it (npm i -D jest)';
    for (const t of input.tests) out.set(t.id, { ok: false, notRun: true, error: why });
    return out;
  }
  const mock = resolveFromProject('jest-mock', input.projectDir);
  const folder = createRunFolder(input.projectDir);
  let outcome: SandboxOutcome;
  const nonce = `@jaunt:${randomBytes(12).toString('hex')}:`;
  try {
    for (const f of runnable.files) folder.write(f.path, f.text);
    folder.write('package.json', JSON.stringify({ type: runnable.packageType }));
    const script = folder.write('jaunt-tests.mjs', testHarnessScript(ts, modules, { expect: expectPackage.url, jestMock: mock?.url ?? 'jest-mock' }));
    outcome = await runSandboxed({
      script, cwd: folder.dir, readable: [...folder.readable, expectPackage.root, ...(mock ? [mock.root] : [])], memoryMb: limits.memoryMb,
      timeoutMs: limits.timeoutMs, startupMs: limits.startupMs, env: { [TEST_NONCE_VARIABLE]: nonce },
      maxOutputBytes: MAX_OUTPUT_BYTES, readyLine: `${nonce}${JSON.stringify({ t: 'ready' })}`,
    });
  } finally {
    folder.remove();
  }
  const fileOf = new Map(modules.flatMap((m) => m.tests.map((t) => [t.id, m.path] as const)));
  let noExpect: string | undefined;
  let current: string | undefined;
  let done = false;
  for (const e of nonceEvents<Event>(outcome.stdout, nonce)) {
    if (e.t === 'no-expect') noExpect = e.error;
    else if (e.t === 'load-failed') {
      for (const [id, p] of fileOf) if (p === e.module) out.set(id, { ok: false, error: `loading the test file threw ${e.error}` });
    } else if (e.t === 'start') current = e.id;
    else if (e.t === 'result' && e.id) {
      current = undefined;
      out.set(e.id, e.ok ? { ok: true } : { ok: false, error: e.error });
    } else if (e.t === 'stray' && e.id && out.get(e.id)?.ok !== false) {
      out.set(e.id, { ok: false, error: `left an error no one caught: ${e.error}` });
    } else if (e.t === 'done') done = true;
  }
  if (noExpect !== undefined) {
    const why = `jest's \`expect\` cannot be loaded from the project's node_modules (${noExpect.slice(0, 200)}): install jest in the project`;
    for (const t of input.tests) if (!out.get(t.id)?.ok) out.set(t.id, { ok: false, notRun: true, error: why });
  }
  if (!done) {
    const why = childEnding(outcome, { ...limits, maxOutputBytes: MAX_OUTPUT_BYTES });
    if (current) out.set(current, { ok: false, error: `the test ${why}` });
    for (const t of input.tests) if (!out.has(t.id)) out.set(t.id, { ok: false, notRun: true, error: `not run: the run ${why} before it` });
  }
  return out;
}
