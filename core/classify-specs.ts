import * as path from 'node:path';
import type * as TS from 'typescript';
import { lookupEntry } from '../cache/cache-store';
import { relativePath, type AnalyzedSpec, type ProgramAnalysis } from './analyze-program';
import { Codes, diagnostic, formatCode, type JauntDiagnostic } from './errors';
import { previousEntries, staleReasons, verificationReasons } from './stale-reasons';
import { specId } from '../spec/spec-ir';
import type { FoundSpec } from '../spec/find-specs';
import { readFileScope } from '../splice/file-scope';
import { emitsCommonJs } from '../splice/module-format';
import { planFile, type FilePlan, type SpliceRequest } from '../splice/plan-file';
import { fileVerdictStore, verdictDir, verdictKey, type VerdictStore } from '../validate/verdict-cache';
import { shippedText, verifyShipped } from '../validate/verify-plans';
import { checkExamples } from '../behaviour/examples-verdicts';
import type { ExampleLimits, SpecExamplesRun } from '../behaviour/run-examples';

export type SpecState = 'fresh' | 'stale' | 'missing' | 'edited' | 'broken' | 'corrupt' | 'invalid' | 'cycle';
export const SPEC_STATES: readonly SpecState[] = ['fresh', 'stale', 'missing', 'edited', 'broken', 'corrupt', 'invalid', 'cycle'];
/** States whose spec ships a function that throws: a build reports each as an error. */
export const FAILING_STATES: ReadonlySet<SpecState> = new Set(['stale', 'missing', 'broken', 'corrupt', 'invalid', 'cycle']);

/** One spec as the plugin, every CLI command and the jest adapter see it: the one verdict. */
export interface SpecStatus {
  id: string;
  name: string;
  /** Absolute file of the spec. */
  fileName: string;
  /** Project-relative file, with `/`. */
  file: string;
  line: number;
  hash: string | undefined;
  status: SpecState;
  /** What changed (stale), what is wrong (stale after a check, broken, corrupt, invalid), or nothing. */
  reasons: string[];
  /** Stale only: whether the contract changed, the entry no longer checks in its file as it ships, or it fails its examples. */
  staleBy?: 'contract' | 'check' | 'examples';
  /** Example assertions it passed in this run (absent when none ran, or a remembered verdict made a run needless). */
  examplesPassed?: number;
  /** Absolute path of the entry for the current hash, when that file exists. */
  entry: string | undefined;
  /** Stale by contract only: the newest entry written for an earlier contract of this spec. */
  previousEntry: string | undefined;
  /** Undefined for malformed specs. */
  spec: AnalyzedSpec | undefined;
  /** What a build reports for it (an error, or the warning of a hand-edited entry). */
  problem?: JauntDiagnostic;
}

export interface ClassifyInput {
  ts: typeof TS;
  program: TS.Program;
  analysis: ProgramAnalysis;
  cacheDir: string;
  /** What a missing entry's error tells the user to do (depends on whether this build may generate). */
  missingHint: string;
  /** Failures of a generation run, by spec id: they name the real cause in the error and the stub. */
  generationProblems?: ReadonlyMap<string, JauntDiagnostic>;
  /** Defaults to the verdicts under the nearest node_modules/.cache/jaunt. */
  verdicts?: VerdictStore;
  exampleLimits?: Partial<ExampleLimits>;
}

export interface Classification {
  statuses: SpecStatus[];
  /** The example runs of this classification, by spec id (`jaunt test` lists them). */
  exampleRuns: Map<string, SpecExamplesRun>;
  /** What ships for each spec file (absolute name): the plan every renderer renders. */
  plans: Map<string, FilePlan>;
  /** The errors and warnings to report, one per spec at most (malformed specs are reported by the analysis). */
  diagnostics: JauntDiagnostic[];
}

export function specLocation(spec: AnalyzedSpec) {
  const decl = spec.found.declarations[0]!;
  const start = decl.getStart();
  return { file: spec.found.sourceFile.fileName, start, length: decl.getEnd() - start, line: spec.ir.line };
}

/** The state of each spec from its cache entry alone: before anything is checked. */
function fromLookup(spec: AnalyzedSpec, cacheDir: string, previous: () => ReturnType<typeof previousEntries>): SpecStatus & { body?: string } {
  const common = { id: spec.id, name: spec.ir.name, fileName: spec.found.sourceFile.fileName, file: spec.ir.file, line: spec.ir.line,
    hash: spec.hash, spec, entry: undefined, previousEntry: undefined };
  if (spec.hash === undefined) return { ...common, status: 'cycle', reasons: ['on or behind a dependency cycle'] };
  const lookup = lookupEntry(cacheDir, spec.ir.name, spec.hash);
  switch (lookup.status) {
    case 'hit':
      return { ...common, status: 'fresh', reasons: [], entry: lookup.path, body: lookup.body };
    case 'edited':
      return { ...common, status: 'edited', reasons: ['entry edited by hand'], entry: lookup.path, body: lookup.body };
    case 'corrupt':
      return { ...common, status: 'corrupt', reasons: [lookup.reason], entry: lookup.path };
    case 'missing': {
      const before = previous().find(spec);
      return before
        ? { ...common, status: 'stale', staleBy: 'contract', reasons: staleReasons(spec, before), previousEntry: before.path }
        : { ...common, status: 'missing', reasons: [] };
    }
  }
}

/** The error (or warning) a build reports for a spec in this state. */
function problemOf(s: SpecStatus, spec: AnalyzedSpec, projectDir: string, missingHint: string): JauntDiagnostic | undefined {
  const where = specLocation(spec);
  const rel = s.entry ? path.relative(projectDir, s.entry).split(path.sep).join('/') : '';
  switch (s.status) {
    case 'missing':
    case 'stale':
      if (s.staleBy === 'examples') {
        return diagnostic(Codes.EntryFailsExamples,
          `the cached implementation ${rel} of spec '${s.name}' fails its examples: ${s.reasons.slice(0, 3).join('; ')}. ${missingHint}`, where, s.name);
      }
      if (s.staleBy === 'check') {
        return diagnostic(Codes.EntryFailsInFile,
          `the cached implementation ${rel} of spec '${s.name}' no longer works in ${s.file} as it ships: ${s.reasons.slice(0, 3).join('; ')}. ${missingHint}`, where, s.name);
      }
      return diagnostic(Codes.MissingEntry,
        `spec '${s.name}' (${s.file}:${s.line}) has no cached implementation for its current contract (hash ${s.hash})${s.status === 'stale' ? ` (${s.reasons.join(', ')} changed)` : ''}. ${missingHint}`, where, s.name);
    case 'corrupt':
      return diagnostic(s.reasons[0]?.startsWith('JAUNT2004') ? Codes.EntryLacksFunction : Codes.CorruptEntry,
        `cache entry ${rel} for spec '${s.name}' is unusable (${s.reasons.map((r) => r.replace(/^JAUNT\d+: /, '')).join('; ')}); delete it and run \`jaunt build\``, where, s.name);
    case 'broken':
      return diagnostic(Codes.EditedEntryInvalid,
        `hand-edited cache entry ${rel} for spec '${s.name}' does not check against the spec as it ships: ${s.reasons.slice(0, 5).join('; ')}`, where, s.name);
    case 'edited':
      return diagnostic(Codes.HandEditedEntry,
        `cache entry ${rel} for spec '${s.name}' was edited by hand: using it as is (Jaunt never overwrites it without --force)`, where, s.name, 'warning');
    default:
      return undefined;
  }
}

/**
 * The one classification of every spec: look its entry up, plan what would ship, and check what ships
 * in its file (remembered verdicts make a repeat check free). A generated entry that no longer works where
 * it lands is stale, with the reason; a hand-edited one is broken. Returns the plans that ship.
 */
export function classifySpecs(input: ClassifyInput): Classification {
  const { ts, program, analysis, cacheDir } = input;
  const projectDir = analysis.projectDir;
  let previous: ReturnType<typeof previousEntries> | undefined;
  const lazyPrevious = () => (previous ??= previousEntries(cacheDir));
  const statuses = new Map<string, SpecStatus & { body?: string }>();
  for (const spec of analysis.specs) statuses.set(spec.id, fromLookup(spec, cacheDir, lazyPrevious));

  const verdicts = input.verdicts ?? fileVerdictStore(verdictDir(projectDir));
  const files = new Set([...analysis.specs.map((s) => s.found.sourceFile), ...analysis.invalid.map((s) => s.sourceFile)]);
  const plans = new Map<string, FilePlan>();
  const scopes = new Map([...files].map((sf) => [sf, readFileScope(ts, sf, emitsCommonJs(ts, program, sf))]));
  const problemFor = (spec: AnalyzedSpec): JauntDiagnostic => {
    const s = statuses.get(spec.id)!;
    return input.generationProblems?.get(spec.id) ?? problemOf(s, spec, projectDir, input.missingHint)
      ?? analysis.diagnostics.find((d) => d.spec === spec.ir.name && d.severity === 'error' && d.location?.file === spec.found.sourceFile.fileName)
      ?? diagnostic(Codes.DependencyCycle, `spec '${spec.ir.name}' cannot be implemented while it is on a dependency cycle`, specLocation(spec), spec.ir.name);
  };
  const requestsOf = (sf: TS.SourceFile): SpliceRequest[] => {
    const { valid, invalid } = analysis.specsInFile(sf.fileName);
    const out: SpliceRequest[] = valid.map((spec) => {
      const s = statuses.get(spec.id)!;
      return s.body !== undefined && (s.status === 'fresh' || s.status === 'edited')
        ? { spec: spec.found, body: s.body, label: `${relativePath(projectDir, s.entry!)}${s.status === 'edited' ? ' (edited by hand)' : ''}` }
        : { spec: spec.found, problem: problemFor(spec) };
    });
    return [...out, ...invalid.map((found: FoundSpec) => ({ spec: found, problem: malformed(analysis, found) }))];
  };
  const byFound = new Map(analysis.specs.map((s) => [s.found, s]));

  const toCheck: ReturnType<typeof shippedText>[] = [];
  const keys = new Map<ReturnType<typeof shippedText>, string>();
  for (const sf of files) {
    const { plan, problems } = planFile(ts, scopes.get(sf)!, requestsOf(sf));
    for (const e of problems) {
      const spec = analysis.specs.find((s) => s.ir.name === e.spec && s.found.sourceFile === sf)!;
      Object.assign(statuses.get(spec.id)!, { status: 'corrupt', reasons: [`${formatCode(e.code)}: ${e.message}`], body: undefined });
    }
    plans.set(sf.fileName, plan);
    const usable = new Set(plan.specs.filter((p) => {
      const spec = byFound.get(p.spec);
      const s = spec && statuses.get(spec.id);
      return s !== undefined && s.body !== undefined && (s.status === 'fresh' || s.status === 'edited');
    }));
    if (usable.size === 0) continue;
    const shipped = shippedText(plan, usable);
    const key = verdictKey(ts, program, shipped);
    if (verdicts.has(key)) continue;
    keys.set(shipped, key);
    toCheck.push(shipped);
  }
  const errors = verifyShipped({ ts, program, label: (f) => relativePath(projectDir, f) }, toCheck);
  const replan = new Set<TS.SourceFile>();
  for (const shipped of toCheck) {
    const failing = shipped.checks.filter((c) => errors.has(c.spec));
    if (failing.length === 0) {
      verdicts.remember(keys.get(shipped)!);
      continue;
    }
    for (const { spec: p } of failing) {
      const s = statuses.get(byFound.get(p.spec)!.id)!;
      const list = errors.get(p)!;
      Object.assign(s, s.status === 'edited'
        ? { status: 'broken', reasons: list }
        : { status: 'stale', staleBy: 'check', reasons: verificationReasons(list, s.file), previousEntry: undefined });
      s.body = undefined;
    }
    replan.add(shipped.plan.scope.sourceFile);
  }
  for (const sf of replan) plans.set(sf.fileName, planFile(ts, scopes.get(sf)!, requestsOf(sf)).plan);
  replan.clear();

  // Behaviour is part of the contract: the examples of every usable entry run against what ships.
  const inUse = analysis.specs.filter((spec) => {
    const s = statuses.get(spec.id)!;
    return s.body !== undefined && (s.status === 'fresh' || s.status === 'edited');
  });
  const exampleRuns = checkExamples({ ts, program, projectDir, plans, specs: inUse, verdicts, limits: input.exampleLimits });
  for (const spec of inUse) {
    const run = exampleRuns.get(spec.id);
    if (!run) continue;
    const s = statuses.get(spec.id)!;
    if (run.failures.length === 0) {
      s.examplesPassed = run.results.length;
      continue;
    }
    Object.assign(s, s.status === 'edited'
      ? { status: 'broken', reasons: run.failures }
      : { status: 'stale', staleBy: 'examples', reasons: run.failures, previousEntry: undefined });
    s.body = undefined;
    replan.add(spec.found.sourceFile);
  }
  // What ships for a spec that failed a check is the function that throws its error.
  for (const sf of replan) plans.set(sf.fileName, planFile(ts, scopes.get(sf)!, requestsOf(sf)).plan);

  const diagnostics: JauntDiagnostic[] = [];
  const out = [...statuses.values()].map(({ body: _body, ...s }) => {
    const spec = s.spec!;
    const problem = spec.hash === undefined ? undefined : input.generationProblems?.get(spec.id) ?? problemOf(s, spec, projectDir, input.missingHint);
    if (problem) diagnostics.push(problem);
    return problem ? { ...s, problem } : s;
  });
  for (const found of analysis.invalid) out.push(invalidStatus(analysis, found));
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { statuses: out, plans, diagnostics, exampleRuns };
}

function malformed(analysis: ProgramAnalysis, found: FoundSpec): JauntDiagnostic {
  return analysis.diagnostics.find((d) => d.spec === found.name && d.location?.file === found.sourceFile.fileName && d.severity === 'error')
    ?? { code: 1000, severity: 'error', message: 'the spec is malformed; see the build errors' };
}

function invalidStatus(analysis: ProgramAnalysis, found: FoundSpec): SpecStatus {
  const fileName = found.sourceFile.fileName;
  const file = relativePath(analysis.projectDir, fileName);
  const problems = analysis.diagnostics.filter((d) => d.severity === 'error' && d.spec === found.name && d.location?.file === fileName);
  return {
    id: specId(file, found.name), name: found.name, fileName, file, line: found.line, hash: undefined,
    status: 'invalid', reasons: problems.map((d) => `${formatCode(d.code)}: ${d.message}`), entry: undefined, previousEntry: undefined, spec: undefined,
  };
}

export function countStates(statuses: readonly SpecStatus[]): Record<SpecState, number> & { total: number } {
  const counts = Object.fromEntries(SPEC_STATES.map((s) => [s, 0])) as Record<SpecState, number>;
  for (const s of statuses) counts[s.status]++;
  return { ...counts, total: statuses.length };
}

/** The words after a status: `JSDoc, dependency slugify changed`, `empty body`; empty for fresh. */
export function statusDetail(s: SpecStatus): string {
  switch (s.status) {
    case 'fresh':
      return '';
    case 'stale':
      return s.staleBy === 'contract' ? `${s.reasons.join(', ')} changed` : s.reasons.join('; ');
    case 'missing':
      return 'never generated';
    case 'edited':
      return 'hand-edited entry, used as is';
    case 'invalid':
      return s.reasons.map((r) => r.replace(/^(JAUNT\d+): .*$/, '$1')).join(', ') || 'malformed';
    default:
      return s.reasons.join('; ');
  }
}
