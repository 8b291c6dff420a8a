/**
 * Runs the executable examples of specs against the code that ships, in a sandboxed child: the spec files
 * rendered as their plans say (a candidate, or the cached entries), with the project files they import.
 * One child serves many specs; a spec whose code ends the run early (a loop, an exit, a crash) is charged
 * with it, and the specs that had not run yet run again in a fresh child.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { nonceEvents } from '../sandbox/nonce-events';
import { createRunFolder, type RunFolder } from '../sandbox/run-folder';
import { childEnding } from '../sandbox/child-ending';
import { runSandboxed, runSandboxedSync, type SandboxOutcome, type SandboxRequest } from '../sandbox/run-sandboxed';
import { NONCE_VARIABLE, harnessScript, scopeLine, type HarnessModule } from './example-harness';
import type { SpecExample } from './parse-examples';
import { runnableModules, runtimeClosure, runtimeScope } from './runnable-modules';
import { INT_RULES } from '../config/option-rules';

export interface ExampleTarget {
  sourceFile: TS.SourceFile;
  /** The file as it ships in this run (its plan rendered as TypeScript). */
  text: string;
  specs: { id: string; name: string; examples: SpecExample[] }[];
  /**
   * Set for a second copy of the file with other text (a mutant): it loads as its own module beside the
   * file, so one child runs many copies. Unique within a run.
   */
  variant?: string;
  /** More names the examples may use than the specs above: the file's other specs (they ship as functions too). */
  scopeNames?: readonly string[];
}

export interface ExampleLimits {
  /** Wall-clock limit of a run once node is up. */
  timeoutMs: number;
  /** What node may take to start on a loaded machine, on top. */
  startupMs: number;
  memoryMb: number;
}

export const DEFAULT_EXAMPLE_LIMITS: ExampleLimits = { timeoutMs: INT_RULES.exampleTimeoutMs.fallback, startupMs: 20_000, memoryMb: 512 };

/** The limits a project's options set (`exampleTimeoutMs`); the rest stay at their defaults. */
export const exampleLimitsOf = (options: { exampleTimeoutMs: number }): Partial<ExampleLimits> => ({ timeoutMs: options.exampleTimeoutMs });

export interface ExampleRunInput {
  ts: typeof TS;
  program: TS.Program;
  projectDir: string;
  targets: ExampleTarget[];
  /** What ships of the other files the targets load (spec files rendered with their entries). */
  textOf(sf: TS.SourceFile): string;
  /** How messages name a file (project-relative). */
  label(fileName: string): string;
  limits?: Partial<ExampleLimits>;
}

/** One assertion of an example, as it ran. */
export interface AssertionResult {
  /** Line of the assertion in the spec's file. */
  line: number;
  source: string;
  ok: boolean;
  expected?: string;
  actual?: string;
}

export interface SpecExamplesRun {
  results: AssertionResult[];
  /** One sentence per failure, naming the file and line: what a retry, a build error and `jaunt test` show. */
  failures: string[];
  /** The example lines (`SpecExample.line`) that failed; 0 for a failure of the whole spec (its module did not load). */
  failedExamples: number[];
}


const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

type Event = { t: string; spec?: string; example?: number; module?: string; line?: number; source?: string; ok?: boolean; expected?: string; actual?: string; message?: string; error?: string };

interface Prepared {
  folder: RunFolder;
  request: SandboxRequest;
  nonce: string;
  modules: (HarnessModule & { file: string })[];
}

function prepare(input: ExampleRunInput, targets: readonly ExampleTarget[], limits: ExampleLimits): Prepared {
  const { ts, program } = input;
  const byFile = new Map(targets.filter((t) => t.variant === undefined).map((t) => [t.sourceFile.fileName, t]));
  const keyOf = (t: ExampleTarget) => `${input.label(t.sourceFile.fileName)}${t.variant === undefined ? '' : `#${t.variant}`}`;
  const scopes = new Map(targets.map((t) => [t, runtimeScope(ts, program, t.sourceFile, [...t.specs.map((s) => s.name), ...(t.scopeNames ?? [])])]));
  const closure = runtimeClosure(ts, program, targets.map((t) => t.sourceFile));
  const shipped = (t: ExampleTarget) => `${t.text}${scopeLine(keyOf(t), scopes.get(t)!)}`;
  const variants = targets.flatMap((t) => (t.variant === undefined ? [] : [{ sourceFile: t.sourceFile, suffix: t.variant, text: shipped(t) }]));
  const runnable = runnableModules(ts, program, closure, (sf) => {
    const target = byFile.get(sf.fileName);
    return target ? shipped(target) : input.textOf(sf);
  }, variants);
  const modules = targets.map((t) => ({
    file: t.sourceFile.fileName, key: keyOf(t), scope: scopes.get(t)!,
    path: t.variant === undefined ? runnable.pathOf.get(t.sourceFile.fileName)! : runnable.variantPath.get(t.variant)!,
    specs: t.specs.map((s) => ({ id: s.id, examples: s.examples })),
  }));
  const folder = createRunFolder(input.projectDir);
  try {
    for (const f of runnable.files) folder.write(f.path, f.text);
    folder.write('package.json', JSON.stringify({ type: runnable.packageType }));
    const script = folder.write('jaunt-examples.mjs', harnessScript(ts, modules));
    const nonce = `@jaunt:${randomBytes(12).toString('hex')}:`;
    return {
      folder, nonce, modules,
      request: {
        script, cwd: folder.dir, readable: folder.readable, memoryMb: limits.memoryMb,
        timeoutMs: limits.timeoutMs, startupMs: limits.startupMs, env: { [NONCE_VARIABLE]: nonce },
        maxOutputBytes: MAX_OUTPUT_BYTES, readyLine: `${nonce}${JSON.stringify({ t: 'ready' })}`,
      },
    };
  } catch (e) {
    folder.remove();
    throw e;
  }
}


/** Why a run ended before its last example, in words about the code that was running. */
/** An assertion's failure in words that show values, not the code that computed them. */
const shouldBe = (r: AssertionResult): string =>
  `an assertion should ${r.expected?.startsWith('throws ') ? r.expected.replace(/^throws/, 'throw') : `be ${r.expected}`} but ${r.actual?.startsWith('threw ') || r.actual?.startsWith('returned ') ? r.actual : `was ${r.actual}`}`;

/** The results of one run, and the specs that never got to run because the run ended early. */
function interpret(input: ExampleRunInput, p: Prepared, outcome: SandboxOutcome, limits: ExampleLimits): { runs: Map<string, SpecExamplesRun>; rerun: Set<string> } {
  const runs = new Map<string, SpecExamplesRun>();
  const fileOf = new Map<string, string>();
  const named = new Map<string, string>();
  for (const m of p.modules) {
    for (const s of m.specs) {
      runs.set(s.id, { results: [], failures: [], failedExamples: [] });
      fileOf.set(s.id, m.file);
      for (const ex of s.examples) if (ex.name !== undefined) named.set(`${s.id}\n${ex.line}`, ex.name);
    }
  }
  const at = (spec: string, line: number) => `${input.label(fileOf.get(spec)!)}:${line}`;
  // A battery test is held out: it is named, and its code never appears in what goes back to the model.
  const testName = (spec: string, example: number | undefined) => named.get(`${spec}\n${example ?? 0}`);
  const where = (spec: string, example: number) => {
    const name = testName(spec, example);
    return name === undefined ? `example at ${at(spec, example)}` : `battery test ${JSON.stringify(name)}`;
  };
  const fail = (spec: string, sentence: string, example = 0) => {
    const run = runs.get(spec);
    run?.failures.push(sentence);
    if (run && !run.failedExamples.includes(example)) run.failedExamples.push(example);
  };
  const list = nonceEvents<Event>(outcome.stdout, p.nonce);
  const started = new Set<string>();
  let loading: string | undefined;
  let current: { spec: string; example: number } | undefined;
  let done = false;
  for (const e of list) {
    if (e.t === 'load') loading = e.module;
    else if (e.t === 'load-failed') {
      const m = p.modules.find((x) => x.path === e.module);
      for (const s of m?.specs ?? []) (started.add(s.id), fail(s.id, `loading ${input.label(m!.file)} threw ${e.error}`));
      loading = undefined;
    } else if (e.t === 'start' && e.spec !== undefined) {
      loading = undefined;
      started.add(e.spec);
      current = { spec: e.spec, example: e.example ?? 0 };
    } else if (e.t === 'end') current = undefined;
    else if (e.t === 'result' && e.spec !== undefined) {
      const r: AssertionResult = { line: e.line ?? 0, source: e.source ?? '', ok: e.ok === true, expected: e.expected, actual: e.actual };
      runs.get(e.spec)?.results.push(r);
      const name = testName(e.spec, e.example);
      if (!r.ok && name !== undefined) {
        fail(e.spec, `battery test ${JSON.stringify(name)} failed: ${e.message !== undefined ? `an assertion ${e.message}` : shouldBe(r)}`, e.example);
      } else if (!r.ok) {
        fail(e.spec, e.message !== undefined
          ? `example at ${at(e.spec, r.line)}: \`${r.source}\` ${e.message}`
          : `example at ${at(e.spec, r.line)}: \`${r.source}\` should ${r.expected?.startsWith('throws ') ? r.expected.replace(/^throws/, 'throw') : `be ${r.expected}`} but ${r.actual?.startsWith('threw ') || r.actual?.startsWith('returned ') ? r.actual : `was ${r.actual}`}`, e.example);
      }
    } else if ((e.t === 'error' || e.t === 'stray') && e.spec) {
      fail(e.spec, `${where(e.spec, e.example ?? 0)} ${e.t === 'stray' ? 'left an error no one caught' : 'threw'} ${e.error}`, e.example);
    } else if (e.t === 'done') done = true;
  }
  const rerun = new Set<string>();
  if (!done) {
    const why = list.length === 0 && !outcome.timedOut
      ? `the sandbox could not start node (${outcome.stderr.trim().split('\n')[0]?.slice(0, 200) || 'no output'})`
      : childEnding(outcome, { ...limits, maxOutputBytes: MAX_OUTPUT_BYTES });
    const m = loading === undefined ? undefined : p.modules.find((x) => x.path === loading);
    for (const s of m?.specs ?? []) (started.add(s.id), fail(s.id, `loading ${input.label(m!.file)} ${why}`));
    if (current) fail(current.spec, `${where(current.spec, current.example)} ${why}`, current.example);
    // The specs that had not started run again in a fresh child, once someone was charged with the end.
    const charged = m !== undefined || current !== undefined;
    for (const id of runs.keys()) {
      if (started.has(id)) continue;
      if (charged) rerun.add(id);
      else fail(id, why);
    }
  }
  for (const id of rerun) runs.delete(id);
  return { runs, rerun };
}

const withLimits = (input: ExampleRunInput): ExampleLimits => ({ ...DEFAULT_EXAMPLE_LIMITS, ...input.limits });

const remaining = (targets: readonly ExampleTarget[], ids: ReadonlySet<string>): ExampleTarget[] =>
  targets.flatMap((t) => {
    const specs = t.specs.filter((s) => ids.has(s.id));
    return specs.length ? [{ ...t, specs }] : [];
  });

/**
 * The rounds of a run: each yields the sandbox request of a fresh child and takes its outcome; the specs
 * that a round's early end kept from running go into the next. One loop serves the sync and async runners.
 */
function* rounds(input: ExampleRunInput): Generator<SandboxRequest, Map<string, SpecExamplesRun>, SandboxOutcome> {
  const limits = withLimits(input);
  const out = new Map<string, SpecExamplesRun>();
  for (let targets = input.targets.filter((t) => t.specs.length); targets.length > 0;) {
    const p = prepare(input, targets, limits);
    let result: ReturnType<typeof interpret>;
    try {
      result = interpret(input, p, yield p.request, limits);
    } finally {
      p.folder.remove();
    }
    for (const [id, run] of result.runs) out.set(id, run);
    targets = remaining(targets, result.rerun);
  }
  return out;
}

/** Runs examples inside tsc (synchronous); each spec with examples gets a result. */
export function runExamplesSync(input: ExampleRunInput): Map<string, SpecExamplesRun> {
  const run = rounds(input);
  for (let step = run.next(); ; step = run.next(runSandboxedSync(step.value))) if (step.done) return step.value;
}

/** Runs examples without blocking the event loop (the engine's other requests keep streaming). */
export async function runExamples(input: ExampleRunInput): Promise<Map<string, SpecExamplesRun>> {
  const run = rounds(input);
  for (let step = run.next(); ; step = run.next(await runSandboxed(step.value))) if (step.done) return step.value;
}

/** Project-relative labels, as every other message names files. */
export const projectLabel = (projectDir: string) => (fileName: string) => path.relative(projectDir, fileName).split(path.sep).join('/');
