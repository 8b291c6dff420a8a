import type * as TS from 'typescript';
import { relativePath, type AnalyzedSpec, type ProgramAnalysis } from '../core/analyze-program';
import { readFileScope, type FileScope } from '../splice/file-scope';
import { emitsCommonJs } from '../splice/module-format';
import { planFile } from '../splice/plan-file';
import { implementationOf } from '../splice/plan-splice';
import { createCachedHost } from './overlay-program';
import { shippedText, verifyShipped } from './verify-plans';
import { dependencyAccess, readPackageDeps } from '../generate/build-prompt';
import { checkRules } from './check-rules';
import { cachedFileText } from '../behaviour/cached-file-text';
import { examplesOf } from '../behaviour/parse-examples';
import { projectLabel, runExamples, type ExampleLimits } from '../behaviour/run-examples';
import { batteryExamples } from '../behaviour/battery-file';
import { batteryRunId, createBatteryJudge, loadBattery } from '../behaviour/battery-judge';

export type ValidationResult = { ok: true; body: string } | { ok: false; errors: string[] };

/**
 * The examples a body passed, or what went wrong (a sentence per failure, file:line first; battery tests
 * by name only). `notes`: battery tests dropped on the way, to report.
 */
export type BehaviourResult = ({ ok: true; passed: number; batteryPassed?: number } | { ok: false; errors: string[] }) & { notes?: string[] };

export interface Validator {
  validate(spec: AnalyzedSpec, candidate: string): ValidationResult;
  /** Runs the spec's executable examples against a body that validated, sandboxed, in its real module context. */
  checkBehaviour(spec: AnalyzedSpec, body: string): Promise<BehaviourResult>;
}

export interface ValidatorOptions {
  /** Defaults to the dependencies of the package.json nearest the project. */
  packageDeps?: readonly string[];
  /** Where the other specs' entries are read from when a candidate's examples run. */
  cacheDir?: string;
  exampleLimits?: Partial<ExampleLimits>;
  /** Run each spec's battery (`<name>.<hash>.battery.ts` in cacheDir) with its examples (`tests: true`). */
  tests?: boolean;
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

  const validate = (spec: AnalyzedSpec, candidate: string): ValidationResult => {
    const sf = spec.found.sourceFile;
    const name = spec.ir.name;
    const ruleErrors = checkRules(ts, candidate, {
      specName: name, specFile: sf.fileName, allowedModules: allowedModules(spec), packageDeps, contract: spec.found.jsdoc.raw,
    });
    const parsed = ts.createSourceFile('candidate.ts', candidate, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const syntax = (parsed as TS.SourceFile & { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics ?? [];
    if (syntax.length > 0) {
      return { ok: false, errors: [...ruleErrors, ...syntax.slice(0, 5).map((d) =>
        `line ${parsed.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)] };
    }
    // Without the function there is nothing to place: the compiler would only repeat the rule.
    if (!implementationOf(ts, parsed, name)) return { ok: false, errors: ruleErrors };
    // The same plan the splice renders: renamed helpers and types, imports for values only, helpers where
    // what they use is initialized, the file's module format.
    const { plan } = planFile(ts, scopeOf(sf), [{ spec: spec.found, body: candidate, label: 'candidate' }]);
    const shipped = shippedText(plan);
    const errors = verifyShipped({ ts, program, host, baselines, label: (f) => relativePath(analysis.projectDir, f) }, [shipped]).get(plan.specs[0]!) ?? [];
    const all = [...ruleErrors, ...errors];
    return all.length ? { ok: false, errors: all } : { ok: true, body: candidate };
  };
  const judge = createBatteryJudge();
  const checkBehaviour = async (spec: AnalyzedSpec, body: string): Promise<BehaviourResult> => {
    const { examples } = examplesOf(ts, spec.found);
    const cacheDir = options.cacheDir;
    const battery = options.tests && cacheDir !== undefined ? loadBattery(ts, cacheDir, spec.ir.name, spec.hash) : undefined;
    if (examples.length === 0 && !battery) return { ok: true, passed: 0 };
    const textOf = (sf: TS.SourceFile) => (cacheDir === undefined ? sf.text : cachedFileText(ts, program, analysis, cacheDir, sf));
    const sf = spec.found.sourceFile;
    const specs = [{ id: spec.id, name: spec.ir.name, examples }];
    if (battery) specs.push({ id: batteryRunId(spec.id), name: spec.ir.name, examples: batteryExamples(battery) });
    const { valid, invalid } = analysis.specsInFile(sf.fileName);
    // The file's other specs ship as functions too (cached, or stubs that throw): examples may call them.
    const scopeNames = [...valid.map((v) => v.ir.name), ...invalid.map((f) => f.name)];
    const target = { sourceFile: sf, text: cacheDir === undefined ? sf.text : cachedFileText(ts, program, analysis, cacheDir, sf, { spec, body }), specs, scopeNames };
    const label = projectLabel(analysis.projectDir);
    const runs = await runExamples({ ts, program, projectDir: analysis.projectDir, targets: [target], textOf, label, limits: options.exampleLimits });
    const run = runs.get(spec.id);
    if (!run) return { ok: false, errors: ['the examples did not run'] };
    const batteryRun = battery && runs.get(batteryRunId(spec.id));
    const verdict = battery && batteryRun && cacheDir !== undefined
      ? judge.judge({ ts, spec: { id: spec.id, name: spec.ir.name }, examples, fileLabel: label(sf.fileName), battery, cacheDir, examplesRun: run, batteryRun, body })
      : undefined;
    const errors = [...run.failures, ...(verdict?.failures ?? [])];
    const notes = verdict?.notes.length ? { notes: verdict.notes } : {};
    return errors.length ? { ok: false, errors, ...notes }
      : { ok: true, passed: run.results.length, ...(verdict ? { batteryPassed: verdict.passed } : {}), ...notes };
  };
  return { validate, checkBehaviour };
}
