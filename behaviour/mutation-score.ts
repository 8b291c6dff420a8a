/**
 * The mutation score of cached implementations (`jaunt test --mutants`): each spec's examples, and its
 * battery when it has one, run against every mutant of its entry (see mutants.ts). A mutant is killed when
 * any of them fails, throws, or does not finish (a mutant that loops is stopped by the sandbox's timeout);
 * it survives when all pass. Many mutants share one sandboxed child: each loads as its own copy of the
 * spec's file, beside it.
 */
import * as fs from 'node:fs';
import type * as TS from 'typescript';
import { lookupEntry } from '../cache/cache-store';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { batteryExamples } from './battery-file';
import { batteryRunId, loadBattery } from './battery-judge';
import { cachedFileText } from './cached-file-text';
import { mutantsOf, type Mutant, type MutantKind } from './mutants';
import { examplesOf, type SpecExample } from './parse-examples';
import { projectLabel, runExamples, type ExampleLimits, type ExampleTarget, type SpecExamplesRun } from './run-examples';

export interface MutantOutcome {
  kind: MutantKind;
  /** 1-based line and column in the entry file. */
  line: number;
  column: number;
  change: string;
  killed: boolean;
  /** The first failure that killed it. */
  killedBy?: string;
}

export interface SpecScore {
  id: string;
  name: string;
  /** Absolute path of the entry the mutants come from. */
  entry: string;
  examples: number;
  batteryTests: number;
  /** Set when the unmutated entry already fails: no score then. */
  baselineFailures: string[];
  killed: number;
  total: number;
  mutants: MutantOutcome[];
}

export interface MutationInput {
  ts: typeof TS;
  program: TS.Program;
  analysis: ProgramAnalysis;
  cacheDir: string;
  specs: readonly AnalyzedSpec[];
  /** What ships of the files the specs' files import (spec files rendered with their entries). */
  textOf(sf: TS.SourceFile): string;
  /** Mutants per sandboxed child. */
  batchSize?: number;
  limits?: Partial<ExampleLimits>;
}

/** A mutant runs like the code it came from: a loop must not hold the whole batch for long (nor longer than the project's own limit). */
export const MUTANT_TIMEOUT_MS = 5_000;
const BATCH = 40;

interface Scored {
  spec: AnalyzedSpec;
  entry: string;
  bodyLine: number;
  examples: SpecExample[];
  battery: SpecExample[];
  mutants: Mutant[];
}

const failuresOf = (runs: Map<string, SpecExamplesRun>, id: string): string[] =>
  [...(runs.get(id)?.failures ?? ['did not run']), ...(runs.get(batteryRunId(id))?.failures ?? [])];

/** Which line of the entry file the body's first line is. */
function bodyStart(file: string, body: string): number {
  try {
    const text = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
    const at = text.indexOf(body.replace(/\r\n?/g, '\n').trimStart().slice(0, 200));
    return at < 0 ? 1 : text.slice(0, at).split('\n').length;
  } catch {
    return 1;
  }
}

export async function mutationScores(input: MutationInput): Promise<SpecScore[]> {
  const { ts, program, analysis, cacheDir } = input;
  const label = projectLabel(analysis.projectDir);
  const limits = { ...input.limits, timeoutMs: Math.min(MUTANT_TIMEOUT_MS, input.limits?.timeoutMs ?? MUTANT_TIMEOUT_MS) };
  const scored: Scored[] = [];
  for (const spec of input.specs) {
    const lookup = spec.hash === undefined ? undefined : lookupEntry(cacheDir, spec.ir.name, spec.hash);
    if (!lookup || (lookup.status !== 'hit' && lookup.status !== 'edited')) continue;
    const battery = loadBattery(ts, cacheDir, spec.ir.name, spec.hash);
    const examples = examplesOf(ts, spec.found).examples;
    if (examples.length === 0 && !battery) continue;
    scored.push({
      spec, entry: lookup.path, bodyLine: bodyStart(lookup.path, lookup.body), examples,
      battery: battery ? batteryExamples(battery) : [], mutants: mutantsOf(ts, lookup.body),
    });
  }
  const specsOf = (s: Scored, id: string) => [
    { id, name: s.spec.ir.name, examples: s.examples },
    ...(s.battery.length ? [{ id: batteryRunId(id), name: s.spec.ir.name, examples: s.battery }] : []),
  ];
  const scopeNames = (sf: TS.SourceFile) => {
    const { valid, invalid } = analysis.specsInFile(sf.fileName);
    return [...valid.map((v) => v.ir.name), ...invalid.map((f) => f.name)];
  };
  const run = (targets: ExampleTarget[], runLimits: Partial<ExampleLimits> = limits) =>
    runExamples({ ts, program, projectDir: analysis.projectDir, targets, textOf: input.textOf, label, limits: runLimits });

  // The unmutated entries first (one module per file): a spec that already fails has no score to give.
  const byFile = new Map<TS.SourceFile, ExampleTarget>();
  for (const s of scored) {
    const sf = s.spec.found.sourceFile;
    const target = byFile.get(sf) ?? byFile.set(sf, { sourceFile: sf, text: cachedFileText(ts, program, analysis, cacheDir, sf), specs: [], scopeNames: scopeNames(sf) }).get(sf)!;
    target.specs.push(...specsOf(s, s.spec.id));
  }
  const baseline = await run([...byFile.values()], input.limits ?? {});
  const all: { s: Scored; m: Mutant; id: string; variant: string }[] = [];
  scored.forEach((s, i) => {
    if (failuresOf(baseline, s.spec.id).length > 0) return;
    s.mutants.forEach((m, k) => all.push({ s, m, id: `${s.spec.id}#mutant-${k}`, variant: `jaunt-mutant-${i}-${k}` }));
  });
  const runs = new Map<string, SpecExamplesRun>();
  const size = input.batchSize ?? BATCH;
  for (let i = 0; i < all.length; i += size) {
    const batch = all.slice(i, i + size).map(({ s, m, id, variant }): ExampleTarget => {
      const sf = s.spec.found.sourceFile;
      return { sourceFile: sf, text: cachedFileText(ts, program, analysis, cacheDir, sf, { spec: s.spec, body: m.body }), variant, specs: specsOf(s, id), scopeNames: scopeNames(sf) };
    });
    for (const [id, r] of await run(batch)) runs.set(id, r);
  }
  // A batch shares one clock, so on a loaded machine a slow batch could charge a mutant that does end:
  // a timed-out mutant counts as killed only if it times out again alone.
  for (const x of all) {
    if (!failuresOf(runs, x.id).some((f) => / did not finish within /.test(f))) continue;
    const sf = x.s.spec.found.sourceFile;
    const again = await run([{ sourceFile: sf, text: cachedFileText(ts, program, analysis, cacheDir, sf, { spec: x.s.spec, body: x.m.body }), variant: x.variant, specs: specsOf(x.s, x.id), scopeNames: scopeNames(sf) }]);
    for (const [id, r] of again) runs.set(id, r);
  }
  return scored.map((s) => {
    const baselineFailures = failuresOf(baseline, s.spec.id);
    const mutants: MutantOutcome[] = baselineFailures.length ? [] : all.filter((x) => x.s === s).map(({ m, id }) => {
      const failures = failuresOf(runs, id);
      return { kind: m.kind, line: s.bodyLine + m.line - 1, column: m.column, change: m.change, killed: failures.length > 0, ...(failures.length ? { killedBy: failures[0]! } : {}) };
    });
    return {
      id: s.spec.id, name: s.spec.ir.name, entry: s.entry, examples: s.examples.length, batteryTests: s.battery.length, baselineFailures,
      killed: mutants.filter((m) => m.killed).length, total: mutants.length, mutants,
    };
  });
}
