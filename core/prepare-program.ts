import type * as TS from 'typescript';
import type { ResolvedOptions } from '../config/options';
import { analyzeProgram, type AnalyzedSpec, type ProgramAnalysis } from './analyze-program';
import * as path from 'node:path';
import { Codes, diagnostic, type JauntDiagnostic } from './errors';
import { handEditedWarning, lookupSpec, resolveLookup, specLocation, type Resolution } from './resolve-entries';

/** Writes implementations for the given specs into the cache; returns what went wrong. */
export type Generator = (analysis: ProgramAnalysis, specs: AnalyzedSpec[]) => JauntDiagnostic[];

export interface PreparedProgram {
  analysis: ProgramAnalysis;
  resolutions: Map<string, Resolution>;
  /** Everything to report for this program: bad specs, cache problems, generation failures. */
  diagnostics: JauntDiagnostic[];
  /** Specs that had no usable entry before generation ran (and so were handed to the generator). */
  generated: AnalyzedSpec[];
}

/** Checks a hand-edited body against its spec (as a generated one is checked); returns the errors. */
export type EditedCheck = (analysis: ProgramAnalysis, spec: AnalyzedSpec, body: string) => string[];

export const MISSING_HINT_GENERATE = 'Set ANTHROPIC_API_KEY and rebuild, or run `jaunt build`, to generate it.';

/**
 * The core both adapters share: analyze the program, look every spec up in the cache, let the generator
 * fill what is missing (or everything, in force mode), and resolve what to splice.
 */
export function prepareProgram(
  ts: typeof TS, program: TS.Program, options: ResolvedOptions,
  generator?: Generator, missingHint = MISSING_HINT_GENERATE, checkEdited?: EditedCheck,
): PreparedProgram {
  const analysis = analyzeProgram(ts, program, options.projectDir);
  const diagnostics = [...analysis.diagnostics];
  const keyed = analysis.specs.filter((s) => s.hash !== undefined);
  let lookups = new Map(keyed.map((s) => [s.id, lookupSpec(options.cacheDir, s)]));
  const needed = keyed.filter((s) => options.mode === 'force' ? lookups.get(s.id)?.status !== 'edited' : lookups.get(s.id)?.status === 'missing');
  if (generator && needed.length > 0) {
    diagnostics.push(...generator(analysis, needed));
    lookups = new Map(keyed.map((s) => [s.id, lookupSpec(options.cacheDir, s)]));
  }
  const resolutions = new Map<string, Resolution>();
  for (const spec of analysis.specs) {
    const r = resolveLookup(spec, lookups.get(spec.id), options.projectDir, missingHint);
    resolutions.set(spec.id, r);
    // A cycle is reported once, by the analysis.
    // Reported once: a spec the generator failed on is not also reported as missing.
    if (!r.ok && spec.hash !== undefined && !diagnostics.some((d) => d.spec === spec.ir.name && d.location?.file === r.diagnostic.location?.file)) {
      diagnostics.push(r.diagnostic);
    }
    if (!r.ok || !r.edited) continue;
    diagnostics.push(handEditedWarning(spec, r.entryPath, options.projectDir));
    // Only edited entries: generated ones were checked before they were cached.
    const errors = checkEdited?.(analysis, spec, r.body) ?? [];
    if (errors.length > 0) {
      diagnostics.push(diagnostic(Codes.EditedEntryInvalid,
        `hand-edited cache entry ${path.relative(options.projectDir, r.entryPath)} for spec '${spec.ir.name}' does not check against the spec: ${errors.slice(0, 5).join('; ')}`,
        specLocation(spec), spec.ir.name));
    }
  }
  return { analysis, resolutions, diagnostics, generated: generator ? needed : [] };
}
