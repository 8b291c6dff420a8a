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

/**
 * Names the CommonJS transform will generate for the file's imports and re-exports (`node_crypto_1` for
 * `import { x } from 'node:crypto'`): it checks only the user's own identifiers for uniqueness, so a
 * spliced declaration with such a name would be declared twice.
 */
function generatedImportNames(ts: typeof TS, sf: TS.SourceFile): string[] {
  const specifiers = sf.statements.flatMap((s) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? [s.moduleSpecifier.text] : []);
  return specifiers.flatMap((text) => {
    // As TypeScript's makeIdentifierFromModuleName: the base file name, made an identifier.
    const base = (text.replace(/\/+$/, '').split('/').pop() ?? '').replace(/^(\d)/, '_$1').replace(/\W/g, '_');
    return specifiers.map((_, i) => `${base}_${i + 1}`);
  });
}

function throwingBody(ts: typeof TS, spec: FoundSpec, d: JauntDiagnostic): string {
  const message = `Jaunt has no implementation for spec '${spec.name}' (${formatCode(d.code)}: ${d.message})`;
  return `function ${spec.name}(..._args: unknown[]): never {\n  throw new Error(${JSON.stringify(message)});\n}\n`;
}

/**
 * The spec as found in `sf`. An adapter may analyze one program and transform a file of another with the
 * same text (ts-jest compiles with its language service's latest program, or with transpileModule): the
 * spec's statements are then the ones at the same positions. Undefined when the texts differ.
 */
function inThisFile(ts: typeof TS, spec: FoundSpec, sf: TS.SourceFile): FoundSpec | undefined {
  if (spec.sourceFile === sf) return spec;
  if (spec.sourceFile.text !== sf.text) return undefined;
  const byPos = new Map(sf.statements.map((s) => [s.pos, s]));
  const declarations = spec.declarations.map((d) => byPos.get(d.pos))
    .filter((s): s is TS.FunctionDeclaration => s !== undefined && ts.isFunctionDeclaration(s));
  return declarations.length === spec.declarations.length ? { ...spec, sourceFile: sf, declarations } : undefined;
}

/** Replaces each spec of the file with its implementation (or a function that throws), helpers on top. */
export function transformFile(ts: typeof TS, program: TS.Program, source: SpliceSource, sf: TS.SourceFile): TS.SourceFile {
  const { valid, invalid } = source.analysis.specsInFile(sf.fileName);
  if (valid.length === 0 && invalid.length === 0) return sf;
  const commonJs = emitsCommonJs(ts, program, sf);
  const taken = new Set([...(sf.text.match(/[A-Za-z_$][\w$]*/g) ?? []), ...RESERVED, ...(commonJs ? generatedImportNames(ts, sf) : [])]);
  const imports = userImports(ts, sf);
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
    const found = inThisFile(ts, spec.found, sf);
    if (!found) continue;
    const impl = source.implementation(spec.id);
    if ('problem' in impl) {
      stub(found, impl.problem);
      continue;
    }
    try {
      place(found, splice(found, impl.body, impl.label));
    } catch (e) {
      if (!(e instanceof JauntError)) throw e;
      const d = e.toDiagnostic();
      source.report(d);
      stub(found, d);
    }
  }
  for (const spec of invalid) {
    const found = inThisFile(ts, spec, sf);
    if (!found) continue;
    // The thrown error names the problem the build reported for this spec.
    const own = source.analysis.diagnostics.find((d) => d.spec === spec.name && d.location?.file === sf.fileName && d.severity === 'error');
    stub(found, own ?? { code: 1000, severity: 'error', message: 'the spec is malformed; see the build errors' });
  }

  const statements = sf.statements.flatMap((s) => (replaced.has(s) ? (replaced.get(s) ? [replaced.get(s)!] : []) : [s]));
  // Helpers go after the prologue and the imports: above any code that might call the spec.
  let at = 0;
  while (at < statements.length && (ts.isImportDeclaration(statements[at]!) || ts.isImportEqualsDeclaration(statements[at]!) ||
    (ts.isExpressionStatement(statements[at]!) && ts.isStringLiteral((statements[at] as TS.ExpressionStatement).expression)))) at++;
  statements.splice(at, 0, ...hoisted);
  return ts.factory.updateSourceFile(sf, statements);
}
