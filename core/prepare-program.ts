import type * as TS from 'typescript';
import type { ResolvedOptions } from '../config/options';
import { analyzeProgram, type AnalyzedSpec, type ProgramAnalysis } from './analyze-program';
import { classifySpecs, type Classification } from './classify-specs';
import { exampleLimitsOf } from '../behaviour/run-examples';
import type { JauntDiagnostic } from './errors';
import type { VerdictStore } from '../validate/verdict-cache';

/** The compiler and program a generator may check candidates in (the plugin's own: a build holds one program). */
export interface GeneratorHost {
  ts: typeof TS;
  program: TS.Program;
}

/** Writes implementations for the given specs into the cache; returns what went wrong. */
export type Generator = (analysis: ProgramAnalysis, specs: AnalyzedSpec[], host?: GeneratorHost) => JauntDiagnostic[];

export interface PreparedProgram extends Classification {
  analysis: ProgramAnalysis;
  /** Everything to report for this program: bad specs, cache problems, generation failures. */
  diagnostics: JauntDiagnostic[];
  /** Specs that had no usable entry before generation ran (and so were handed to the generator). */
  generated: AnalyzedSpec[];
}

export const MISSING_HINT_GENERATE = 'Set ANTHROPIC_API_KEY and rebuild, or run `jaunt build`, to generate it.';

/** States the plugin generates on its own: no entry for the contract, or one that no longer works. */
const REGENERATE = new Set(['missing', 'stale']);

/**
 * The core every adapter shares: analyze the program, classify every spec (its entry checked as it
 * ships), let the generator fill what is missing or stale (or everything, in force mode), and classify
 * again. The plans in the result are what ships.
 */
export function prepareProgram(
  ts: typeof TS, program: TS.Program, options: ResolvedOptions,
  generator?: Generator, missingHint = MISSING_HINT_GENERATE, verdicts?: VerdictStore,
): PreparedProgram {
  const analysis = analyzeProgram(ts, program, options.projectDir);
  const classify = (generationProblems?: Map<string, JauntDiagnostic>) =>
    classifySpecs({ ts, program, analysis, cacheDir: options.cacheDir, missingHint, generationProblems, verdicts, exampleLimits: exampleLimitsOf(options) });
  let result = classify();
  const needed = result.statuses.flatMap((s) => (s.spec && s.hash !== undefined &&
    (options.mode === 'force' ? s.status !== 'edited' && s.status !== 'broken' : REGENERATE.has(s.status)) ? [s.spec] : []));
  if (generator && needed.length > 0) {
    const failures = generator(analysis, needed, { ts, program });
    const byId = new Map<string, JauntDiagnostic>();
    const unattached: JauntDiagnostic[] = [];
    for (const d of failures) {
      const spec = needed.find((s) => s.ir.name === d.spec && d.location?.file === s.found.sourceFile.fileName);
      if (spec) byId.set(spec.id, d);
      else unattached.push(d);
    }
    result = classify(byId);
    result.diagnostics.push(...unattached);
  }
  return { ...result, analysis, diagnostics: [...analysis.diagnostics, ...result.diagnostics], generated: generator ? needed : [] };
}
