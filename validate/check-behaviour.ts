/**
 * The behaviour check of a body that type-checked: its spec's executable examples (and, with `tests: true`,
 * its battery) run sandboxed against the file as it would ship, with the cached implementations of the
 * specs it uses. Synchronous inside tsc, asynchronous where an event loop must keep running.
 */
import * as path from 'node:path';
import type * as TS from 'typescript';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { batteryExamples } from '../behaviour/battery-file';
import { batteryRunId, createBatteryJudge, loadBattery } from '../behaviour/battery-judge';
import { cachedFileText } from '../behaviour/cached-file-text';
import { examplesOf } from '../behaviour/parse-examples';
import { projectLabel, runExamples, runExamplesSync, type ExampleLimits, type ExampleRunInput, type SpecExamplesRun } from '../behaviour/run-examples';

/**
 * The examples a body passed, or what went wrong (a sentence per failure, file:line first; battery tests
 * by name only). `notes`: battery tests dropped on the way, to report.
 */
export type BehaviourResult = ({ ok: true; passed: number; batteryPassed?: number } | { ok: false; errors: string[] }) & { notes?: string[] };

export interface BehaviourOptions {
  /** Where the other specs' entries are read from (default: the project's `.jaunt`). */
  cacheDir?: string;
  exampleLimits?: Partial<ExampleLimits>;
  /** Run each spec's battery (`<name>.<hash>.battery.ts` in cacheDir) with its examples (`tests: true`). */
  tests?: boolean;
}

export interface BehaviourCheck {
  check(spec: AnalyzedSpec, body: string): Promise<BehaviourResult>;
  checkSync(spec: AnalyzedSpec, body: string): BehaviourResult;
}

export function createBehaviourCheck(ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, options: BehaviourOptions): BehaviourCheck {
  const judge = createBatteryJudge();
  const label = projectLabel(analysis.projectDir);
  const cacheDir = options.cacheDir ?? path.join(analysis.projectDir, '.jaunt');

  /** Nothing to run, or the run to make and how to read its result. */
  const prepare = (spec: AnalyzedSpec, body: string): { done: BehaviourResult } | { input: ExampleRunInput; finish(runs: Map<string, SpecExamplesRun>): BehaviourResult } => {
    const { examples } = examplesOf(ts, spec.found);
    const battery = options.tests ? loadBattery(ts, cacheDir, spec.ir.name, spec.hash) : undefined;
    if (examples.length === 0 && !battery) return { done: { ok: true, passed: 0 } };
    const textOf = (sf: TS.SourceFile) => cachedFileText(ts, program, analysis, cacheDir, sf);
    const sf = spec.found.sourceFile;
    const specs = [{ id: spec.id, name: spec.ir.name, examples }];
    if (battery) specs.push({ id: batteryRunId(spec.id), name: spec.ir.name, examples: batteryExamples(battery) });
    const { valid, invalid } = analysis.specsInFile(sf.fileName);
    // The file's other specs ship as functions too (cached, or stubs that throw): examples may call them.
    const scopeNames = [...valid.map((v) => v.ir.name), ...invalid.map((f) => f.name)];
    const text = cachedFileText(ts, program, analysis, cacheDir, sf, { spec, body });
    const input: ExampleRunInput = {
      ts, program, projectDir: analysis.projectDir, targets: [{ sourceFile: sf, text, specs, scopeNames }], textOf, label, limits: options.exampleLimits,
    };
    const finish = (runs: Map<string, SpecExamplesRun>): BehaviourResult => {
      const run = runs.get(spec.id);
      if (!run) return { ok: false, errors: ['the examples did not run'] };
      const batteryRun = battery && runs.get(batteryRunId(spec.id));
      const verdict = battery && batteryRun
        ? judge.judge({ ts, spec: { id: spec.id, name: spec.ir.name }, examples, fileLabel: label(sf.fileName), battery, cacheDir, examplesRun: run, batteryRun, body })
        : undefined;
      const errors = [...run.failures, ...(verdict?.failures ?? [])];
      const notes = verdict?.notes.length ? { notes: verdict.notes } : {};
      return errors.length ? { ok: false, errors, ...notes }
        : { ok: true, passed: run.results.length, ...(verdict ? { batteryPassed: verdict.passed } : {}), ...notes };
    };
    return { input, finish };
  };

  return {
    async check(spec, body) {
      const p = prepare(spec, body);
      return 'done' in p ? p.done : p.finish(await runExamples(p.input));
    },
    checkSync(spec, body) {
      const p = prepare(spec, body);
      return 'done' in p ? p.done : p.finish(runExamplesSync(p.input));
    },
  };
}
