import type * as TS from 'typescript';
import { JauntError, formatCode, type JauntDiagnostic } from '../core/errors';
import type { ProgramAnalysis } from '../core/analyze-program';
import type { FoundSpec } from '../spec/find-specs';
import { buildSplice, type SpliceParts } from '../splice/build-splice';
import { emitsCommonJs } from '../splice/module-format';
import type { UserImport } from '../splice/rewrite-entry';

/** What the per-file transform needs: the analysis, and each spec's body or the reason it has none. */
export interface SpliceSource {
  analysis: ProgramAnalysis;
  /** Body to splice for a spec id, with a label for the comment above it; or the problem already reported. */
  implementation(id: string): { body: string; label: string } | { problem: JauntDiagnostic };
  report(d: JauntDiagnostic): void;
}

// Names the module wrapper or the CommonJS transform owns.
const RESERVED = ['require', 'exports', 'module', '__filename', '__dirname', 'arguments', 'undefined', 'globalThis'];

function userImports(ts: typeof TS, sf: TS.SourceFile): Map<string, UserImport> {
  const out = new Map<string, UserImport>();
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !stmt.importClause || stmt.importClause.isTypeOnly) continue;
    const module = (stmt.moduleSpecifier as TS.StringLiteral).text;
    const clause = stmt.importClause;
    if (clause.name) out.set(clause.name.text, { module, imported: 'default' });
    const b = clause.namedBindings;
    if (b && ts.isNamespaceImport(b)) out.set(b.name.text, { module, imported: '*' });
    if (b && ts.isNamedImports(b)) {
      for (const el of b.elements) if (!el.isTypeOnly) out.set(el.name.text, { module, imported: (el.propertyName ?? el.name).text });
    }
  }
  return out;
}

function throwingBody(ts: typeof TS, spec: FoundSpec, d: JauntDiagnostic): string {
  const message = `Jaunt has no implementation for spec '${spec.name}' (${formatCode(d.code)}: ${d.message})`;
  return `function ${spec.name}(..._args: unknown[]): never {\n  throw new Error(${JSON.stringify(message)});\n}\n`;
}

/** Replaces each spec of the file with its implementation (or a function that throws), helpers on top. */
export function transformFile(ts: typeof TS, program: TS.Program, source: SpliceSource, sf: TS.SourceFile): TS.SourceFile {
  const { valid, invalid } = source.analysis.specsInFile(sf.fileName);
  if (valid.length === 0 && invalid.length === 0) return sf;
  const taken = new Set([...(sf.text.match(/[A-Za-z_$][\w$]*/g) ?? []), ...RESERVED]);
  const imports = userImports(ts, sf);
  const commonJs = emitsCommonJs(ts, program, sf);
  const replaced = new Map<TS.Statement, TS.Statement | undefined>();
  const hoisted: TS.Statement[] = [];

  const splice = (spec: FoundSpec, body: string, label: string): SpliceParts =>
    buildSplice(ts, { specName: spec.name, declarations: spec.declarations, body, taken, userImports: imports, commonJs, label, fileName: sf.fileName });
  const place = (spec: FoundSpec, parts: SpliceParts): void => {
    hoisted.push(...parts.hoisted);
    parts.declared.forEach((n) => taken.add(n));
    spec.declarations.forEach((d, i) => replaced.set(d, i === 0 ? parts.main : undefined));
  };
  const stub = (spec: FoundSpec, problem: JauntDiagnostic): void =>
    place(spec, splice(spec, throwingBody(ts, spec, problem), `no implementation: ${formatCode(problem.code)}`));

  for (const spec of valid) {
    const impl = source.implementation(spec.id);
    if ('problem' in impl) {
      stub(spec.found, impl.problem);
      continue;
    }
    try {
      place(spec.found, splice(spec.found, impl.body, impl.label));
    } catch (e) {
      if (!(e instanceof JauntError)) throw e;
      const d = e.toDiagnostic();
      source.report(d);
      stub(spec.found, d);
    }
  }
  for (const spec of invalid) {
    stub(spec, { code: 1000, severity: 'error', message: 'the spec is malformed; see the build errors' });
  }

  const statements = sf.statements.flatMap((s) => (replaced.has(s) ? (replaced.get(s) ? [replaced.get(s)!] : []) : [s]));
  // Helpers go after the prologue and the imports: above any code that might call the spec.
  let at = 0;
  while (at < statements.length && (ts.isImportDeclaration(statements[at]!) || ts.isImportEqualsDeclaration(statements[at]!) ||
    (ts.isExpressionStatement(statements[at]!) && ts.isStringLiteral((statements[at] as TS.ExpressionStatement).expression)))) at++;
  statements.splice(at, 0, ...hoisted);
  return ts.factory.updateSourceFile(sf, statements);
}
