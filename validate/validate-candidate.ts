import type * as TS from 'typescript';
import { relativePath, type AnalyzedSpec, type ProgramAnalysis } from '../core/analyze-program';
import { readFileScope, type FileScope } from '../splice/file-scope';
import { emitsCommonJs } from '../splice/module-format';
import { planFile, type SpliceRequest } from '../splice/plan-file';
import { shapeOf } from '../spec-kinds/shapes';
import { createCachedHost } from './overlay-program';
import { shippedText, verifyShipped } from './verify-plans';
import type { ShippedText } from './shipped-text';
import { dependencyAccess, readPackageDeps } from '../generate/build-prompt';
import { checkRules } from './check-rules';
import { createBehaviourCheck, type BehaviourOptions, type BehaviourResult } from './check-behaviour';
import { exampleLimitsOf } from '../behaviour/run-examples';
import type { ResolvedOptions } from '../config/options';

export type { BehaviourResult } from './check-behaviour';

/**
 * A candidate's verdict. Type-checking alone gives `body`; a job validator (generation) adds the behaviour
 * check's count of passed example assertions and its notes (battery tests dropped on the way).
 */
export type ValidationResult = ({ ok: true; body: string; examples?: number } | { ok: false; errors: string[] }) & { notes?: string[] };

export interface Validator {
  validate(spec: AnalyzedSpec, candidate: string): ValidationResult;
  /**
   * Several candidates at once, with the same results as one by one: each round type-checks one candidate per
   * file in a single program, so a batch costs about one check of each file it touches.
   */
  validateMany?(items: readonly { spec: AnalyzedSpec; candidate: string }[]): ValidationResult[];
  /** Runs the spec's executable examples (and battery) against a body that validated, sandboxed, in its real module context. */
  checkBehaviour(spec: AnalyzedSpec, body: string): Promise<BehaviourResult>;
  /** The same, inside tsc: generation's checks run in the plugin's thread while the worker keeps receiving. */
  checkBehaviourSync(spec: AnalyzedSpec, body: string): BehaviourResult;
}

export interface ValidatorOptions extends BehaviourOptions {
  /** Defaults to the dependencies of the package.json nearest the project. */
  packageDeps?: readonly string[];
  /** What the candidate's file ships with it (the other specs' entries, in file order); default: the candidate alone. */
  fileRequests?(spec: AnalyzedSpec, candidate: SpliceRequest): SpliceRequest[];
  /** Told of each shipped text that type-checked without an error for any spec in it (generation remembers its verdict). */
  onFilePassed?(shipped: ShippedText): void;
}

/** What a project's resolved options say about validation: where the entries are, batteries, the examples' time limit. */
export function validatorOptionsOf(options: Pick<ResolvedOptions, 'cacheDir' | 'tests' | 'exampleTimeoutMs'>): ValidatorOptions {
  return { cacheDir: options.cacheDir, tests: options.tests, exampleLimits: exampleLimitsOf(options) };
}

/** Validates model candidates against their spec: the rules, then the compiler, on the file as it would ship. */
export function createValidator(ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, options: ValidatorOptions = {}): Validator {
  const packageDeps = options.packageDeps ?? readPackageDeps(analysis.projectDir);
  const host = createCachedHost(ts, program.getCompilerOptions());
  const baselines = new Map<string, Map<string, number>>();
  const scopes = new Map<string, FileScope>();
  const scopeOf = (sf: TS.SourceFile): FileScope => scopes.get(sf.fileName) ??
    scopes.set(sf.fileName, readFileScope(ts, sf, emitsCommonJs(ts, program, sf))).get(sf.fileName)!;
  const allowedModules = (spec: AnalyzedSpec): Set<string> => new Set([
    ...spec.found.sourceFile.statements.flatMap((s) => (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) ? [s.moduleSpecifier.text] : [])),
    ...dependencyAccess(ts, program, analysis, spec).flatMap((a) => (a.kind === 'same-file' ? [] : [a.specifier])),
  ]);

  /** Everything short of the compiler: a final result, or the shipped text still to type-check. */
  type Prepared = { done: ValidationResult } | { shipped: ReturnType<typeof shippedText>; ruleErrors: string[]; candidate: string };
  const prepare = (spec: AnalyzedSpec, candidate: string): Prepared => {
    const sf = spec.found.sourceFile;
    const name = spec.ir.name;
    const ruleErrors = checkRules(ts, candidate, {
      specName: name, specFile: sf.fileName, allowedModules: allowedModules(spec), packageDeps,
      contract: [spec.found.jsdoc, ...(spec.found.memberDocs ?? [])].map((d) => d.raw).join('\n'),
      checkMain: (answer) => shapeOf(spec.found).checkAnswer(ts, answer, spec.found),
    });
    const parsed = ts.createSourceFile('candidate.ts', candidate, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const syntax = (parsed as TS.SourceFile & { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics ?? [];
    if (syntax.length > 0) {
      return { done: { ok: false, errors: [...ruleErrors, ...syntax.slice(0, 5).map((d) =>
        `line ${parsed.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)] } };
    }
    // Without the function there is nothing to place: the compiler would only repeat the rule.
    if (!shapeOf(spec.found).implementationOf(ts, parsed, name)) return { done: { ok: false, errors: ruleErrors } };
    // The same plan the splice renders: renamed helpers and types, imports for values only, helpers where
    // what they use is initialized, the file's module format.
    const own: SpliceRequest = { spec: spec.found, body: candidate, label: 'candidate' };
    const { plan } = planFile(ts, scopeOf(sf), options.fileRequests?.(spec, own) ?? [own]);
    return { shipped: shippedText(plan), ruleErrors, candidate };
  };
  const label = (f: string): string => relativePath(analysis.projectDir, f);

  const validateMany = (items: readonly { spec: AnalyzedSpec; candidate: string }[]): ValidationResult[] => {
    const results: ValidationResult[] = new Array(items.length);
    let pending: { index: number; shipped: ReturnType<typeof shippedText>; ruleErrors: string[]; candidate: string }[] = [];
    items.forEach((item, index) => {
      const p = prepare(item.spec, item.candidate);
      if ('done' in p) results[index] = p.done;
      else pending.push({ index, ...p });
    });
    // One candidate per file and round: two in one file would each be checked without the other.
    while (pending.length > 0) {
      const files = new Set<string>();
      const round = pending.filter((p) => {
        const file = p.shipped.plan.scope.sourceFile.fileName;
        return files.has(file) ? false : (files.add(file), true);
      });
      pending = pending.filter((p) => !round.includes(p));
      const errors = verifyShipped({ ts, program, host, baselines, label }, round.map((p) => p.shipped));
      for (const p of round) {
        const own = p.shipped.plan.specs.find((s) => s.spec === items[p.index]!.spec.found)!;
        const all = [...p.ruleErrors, ...(errors.get(own) ?? [])];
        results[p.index] = all.length ? { ok: false, errors: all } : { ok: true, body: p.candidate };
        if (all.length === 0 && p.shipped.checks.every((c) => !errors.has(c.spec))) options.onFilePassed?.(p.shipped);
      }
    }
    return results;
  };
  const behaviour = createBehaviourCheck(ts, program, analysis, options);
  return {
    validate: (spec, candidate) => validateMany([{ spec, candidate }])[0]!, validateMany,
    checkBehaviour: behaviour.check, checkBehaviourSync: behaviour.checkSync,
  };
}
