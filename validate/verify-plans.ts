import * as path from 'node:path';
import type * as TS from 'typescript';
import type { SpecPlan } from '../splice/plan-splice';
import { capabilityErrors, grantsOf } from './capabilities';
import { createOverlayProgram } from './overlay-program';
import { formatRuleErrors, shippedText, type ShippedText } from './shipped-text';

/** Errors per spec plan; a plan without errors is absent. */
export type PlanErrors = Map<SpecPlan, string[]>;

function message(ts: typeof TS, d: TS.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, '\n').replace(/\n\s*/g, ' ');
}

const diagnosticKey = (ts: typeof TS, d: TS.Diagnostic) => `${d.code}:${message(ts, d)}`;

/** Counts of the problems a file had before anything was spliced: not the splice's fault. */
export function baselineOf(ts: typeof TS, program: TS.Program, sf: TS.SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
    const key = diagnosticKey(ts, d);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Each diagnostic of a shipped file as a sentence about the spec it belongs to: entry lines for errors in
 * its code, the declared signature for its conformance check, the offending line for the rest of the
 * file (unless the file had that problem before), which counts against every spec checked.
 */
export function attributeDiagnostics(
  ts: typeof TS, shipped: ShippedText, file: TS.SourceFile, diagnostics: readonly TS.Diagnostic[], baseline: ReadonlyMap<string, number>,
  fileLabel: string,
): PlanErrors {
  const out: PlanErrors = new Map();
  const push = (spec: SpecPlan, text: string) => out.set(spec, [...(out.get(spec) ?? []), text]);
  const byName = new Map(shipped.plan.specs.map((s) => [s.spec.name, s]));
  const known = new Map(baseline);
  for (const d of diagnostics) {
    const at = d.start;
    const span = at === undefined ? undefined : shipped.spans.find((s) => at >= s.start && at < s.end);
    const check = at === undefined ? undefined : shipped.checks.find((c) => at >= c.start && at < c.end);
    const owner = span ? byName.get(span.spec) : check?.spec;
    const words = (s: string, spec: SpecPlan | undefined) => s.replace(/[A-Za-z_$][\w$]*/g, (w) =>
      spec?.renamed.get(w) ?? (spec && w === `__jaunt_spec_${spec.spec.name}` ? spec.spec.name : w));
    const text = `TS${d.code}: ${words(message(ts, d), owner)}`;
    if (span && owner) {
      if (span.kind === 'imports') {
        push(owner, `in the imports it needs: ${text}`);
        continue;
      }
      const piece = [...span.pieces].reverse().find((p) => p.start <= at!);
      const line = piece ? lineAt(owner.body, piece.piece.bodyStart) + lineAt(file.text.slice(piece.start, at), Infinity) - 1 : undefined;
      push(owner, line !== undefined ? `line ${line}: ${text}` : text);
    } else if (check && owner) {
      // `noUnusedLocals` on the check itself is no problem of the implementation.
      if (d.reportsUnnecessary) continue;
      const part = check.parts.find((p) => at! >= p.start && at! < p.end) ?? check.parts[0];
      push(owner, `${part?.says ?? 'the implementation does not match its declaration'}: ${text}`);
    } else {
      const key = diagnosticKey(ts, d);
      const seen = known.get(key) ?? 0;
      if (seen > 0) {
        known.set(key, seen - 1);
        continue;
      }
      const where = at === undefined ? '' : (() => {
        const row = file.getLineAndCharacterOfPosition(at).line;
        return `, at \`${file.text.slice(file.getLineStarts()[row], file.getLineEndOfPosition(at)).trim().slice(0, 120)}\``;
      })();
      for (const c of shipped.checks) push(c.spec, `with this implementation, code elsewhere in ${fileLabel} no longer type-checks${where}: ${text}`);
    }
  }
  return out;
}

export interface VerifyInput {
  ts: typeof TS;
  program: TS.Program;
  host?: TS.CompilerHost;
  /** How errors name a file (project-relative); defaults to the path relative to the working folder. */
  label?: (fileName: string) => string;
  /** Baselines per file name, shared across calls (the original file's own problems). */
  baselines?: Map<string, Map<string, number>>;
}

/**
 * Type-checks shipped files, all in one program over the original: each file replaced by its plan's
 * rendering, in the module format the file emits. Returns the errors per spec plan, the module-format
 * rules' included.
 */
export function verifyShipped(input: VerifyInput, files: readonly ShippedText[]): PlanErrors {
  const { ts, program } = input;
  const errors: PlanErrors = new Map();
  if (files.length === 0) return errors;
  const next = createOverlayProgram(ts, program, new Map(files.map((f) => [f.plan.scope.sourceFile.fileName, f.text])), input.host);
  const baselines = input.baselines ?? new Map<string, Map<string, number>>();
  for (const shipped of files) {
    const original = shipped.plan.scope.sourceFile;
    const file = next.getSourceFile(original.fileName)!;
    const syntactic = next.getSyntacticDiagnostics(file);
    const diagnostics = syntactic.length ? syntactic : next.getSemanticDiagnostics(file);
    let baseline = baselines.get(original.fileName);
    if (!baseline) baselines.set(original.fileName, (baseline = baselineOf(ts, program, original)));
    const label = input.label?.(original.fileName) ?? path.relative(process.cwd(), original.fileName).split(path.sep).join('/');
    for (const [spec, list] of attributeDiagnostics(ts, shipped, file, diagnostics, baseline, label)) errors.set(spec, list);
    for (const { spec } of shipped.checks) {
      const { granted, unknown } = grantsOf(spec.spec.jsdoc.tags);
      const rules = [...capabilityErrors(ts, spec.body, granted, unknown), ...formatRuleErrors(shipped.plan, spec, program.getCompilerOptions(), label)];
      if (rules.length) errors.set(spec, [...(errors.get(spec) ?? []), ...rules]);
    }
  }
  return errors;
}

export { shippedText };
