/**
 * The behaviour check of cached code: the examples of every usable spec run against what ships, batched
 * into one sandboxed child per build, and a passing file's verdict is remembered (keyed by everything the
 * run loads), so a repeat build runs nothing.
 */
import type * as TS from 'typescript';
import type { AnalyzedSpec } from '../core/analyze-program';
import { TOOL_VERSION } from '../core/version';
import { hashSync } from '../spec/hash';
import type { FilePlan } from '../splice/plan-file';
import { shippedTexts } from '../splice/render-text';
import type { VerdictStore } from '../validate/verdict-cache';
import { examplesOf } from './parse-examples';
import { projectLabel, runExamplesSync, type ExampleLimits, type ExampleTarget, type SpecExamplesRun } from './run-examples';
import { runtimeClosure } from './runnable-modules';

export interface ExamplesCheckInput {
  ts: typeof TS;
  program: TS.Program;
  projectDir: string;
  /** What ships of each spec file. */
  plans: ReadonlyMap<string, FilePlan>;
  /** The specs whose entries are in use (fresh or hand-edited, and type-checked). */
  specs: readonly AnalyzedSpec[];
  verdicts: VerdictStore;
  limits?: Partial<ExampleLimits>;
}

/** Bumped when what an examples run checks changes. */
const EXAMPLES_FORMAT = 1;

/** The runs of the specs whose examples ran (specs with a remembered verdict did not run). */
export function checkExamples(input: ExamplesCheckInput): Map<string, SpecExamplesRun> {
  const { ts, program, plans } = input;
  const textOf = shippedTexts(plans);
  const byFile = new Map<TS.SourceFile, ExampleTarget>();
  for (const spec of input.specs) {
    const { examples } = examplesOf(ts, spec.found);
    if (examples.length === 0) continue;
    const sf = spec.found.sourceFile;
    const target = byFile.get(sf) ?? byFile.set(sf, {
      sourceFile: sf, text: textOf(sf), specs: [],
      // The file's other specs ship as functions too (entries, or stubs that throw): examples may call them.
      scopeNames: plans.get(sf.fileName)?.specs.map((p) => p.spec.name) ?? [],
    }).get(sf)!;
    target.specs.push({ id: spec.id, name: spec.ir.name, examples });
  }
  const keys = new Map<ExampleTarget, string>();
  for (const target of byFile.values()) {
    const loaded = runtimeClosure(ts, program, [target.sourceFile]).map((f) => [f.fileName, hashSync(textOf(f))]).sort();
    const key = hashSync(JSON.stringify({
      format: EXAMPLES_FORMAT, tool: TOOL_VERSION, typescript: ts.version, node: process.version, limits: input.limits ?? {},
      options: program.getCompilerOptions().module ?? null, loaded, examples: target.specs.map((s) => [s.name, s.examples]),
    }));
    if (!input.verdicts.has(key)) keys.set(target, key);
  }
  if (keys.size === 0) return new Map();
  const runs = runExamplesSync({
    ts, program, projectDir: input.projectDir, targets: [...keys.keys()], textOf, label: projectLabel(input.projectDir), limits: input.limits,
  });
  for (const [target, key] of keys) {
    if (target.specs.every((s) => runs.get(s.id)?.failures.length === 0)) input.verdicts.remember(key);
  }
  return runs;
}
