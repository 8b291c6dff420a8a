import type * as TS from 'typescript';
import { Codes, diagnostic, type JauntDiagnostic } from '../core/errors';
import { hasJauntTag, leadingJsDoc, type JsDocBlock } from './read-jsdoc';

/** A `@jaunt` spec as found in a file: its overload declarations and its contract. */
export interface FoundSpec {
  name: string;
  sourceFile: TS.SourceFile;
  /** The `declare function` statements, in order (several when overloaded). */
  declarations: TS.FunctionDeclaration[];
  jsdoc: JsDocBlock;
  exported: boolean;
  /** 1-based line of the first declaration. */
  line: number;
}

export interface FileScan {
  /** Well-formed specs. */
  specs: FoundSpec[];
  /** Specs whose shape is wrong: reported, and emitted as functions that throw. */
  invalid: FoundSpec[];
  diagnostics: JauntDiagnostic[];
}

const hasModifier = (ts: typeof TS, node: TS.Node, kind: TS.SyntaxKind): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

function lineOf(sf: TS.SourceFile, node: TS.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function at(sf: TS.SourceFile, node: TS.Node) {
  const start = node.getStart(sf);
  return { file: sf.fileName, start, length: node.getEnd() - start, line: lineOf(sf, node) };
}

function describeKind(ts: typeof TS, node: TS.Node): string {
  if (ts.isVariableStatement(node)) return 'a variable';
  if (ts.isClassDeclaration(node)) return 'a class';
  if (ts.isInterfaceDeclaration(node)) return 'an interface';
  if (ts.isTypeAliasDeclaration(node)) return 'a type alias';
  if (ts.isEnumDeclaration(node)) return 'an enum';
  return `a ${ts.SyntaxKind[node.kind]}`;
}

function containsAny(ts: typeof TS, node: TS.Node): boolean {
  if (node.kind === ts.SyntaxKind.AnyKeyword) return true;
  return ts.forEachChild(node, (c) => (containsAny(ts, c) ? true : undefined)) ?? false;
}

/** Checks one spec's own shape: what a model cannot be held to, it must not be asked for. */
function checkSpecShape(ts: typeof TS, spec: FoundSpec, out: JauntDiagnostic[]): boolean {
  const before = out.length;
  const sf = spec.sourceFile;
  for (const decl of spec.declarations) {
    if (!decl.type) {
      out.push(diagnostic(Codes.MissingReturnType,
        `spec '${spec.name}' has no return type: write the type it returns (the contract must be checkable)`,
        at(sf, decl), spec.name));
    }
    const typed = [...decl.parameters.map((p) => p.type), decl.type, ...(decl.typeParameters ?? []).map((t) => t.constraint)];
    if (typed.some((t) => t !== undefined && containsAny(ts, t))) {
      out.push(diagnostic(Codes.AnyInSignature,
        `spec '${spec.name}' uses 'any' in its signature: use 'unknown' or a precise type so the implementation can be checked`,
        at(sf, decl), spec.name));
    }
    const untyped = decl.parameters.find((p) => !p.type);
    if (untyped) {
      out.push(diagnostic(Codes.AnyInSignature,
        `spec '${spec.name}' has parameter '${untyped.name.getText(sf)}' without a type`,
        at(sf, untyped), spec.name));
    }
  }
  if (spec.jsdoc.description === '') {
    out.push(diagnostic(Codes.EmptyContract,
      `spec '${spec.name}' has an empty contract: describe what it must do above the @jaunt tag`,
      at(sf, spec.declarations[0]!), spec.name));
  }
  return out.length === before;
}

/** Reports `@jaunt` where it cannot apply: class members and nested declarations. */
function scanNested(ts: typeof TS, sf: TS.SourceFile, node: TS.Node, out: JauntDiagnostic[]): void {
  ts.forEachChild(node, (child) => {
    if (ts.isClassElement(child) || ts.isTypeElement(child)) {
      if (hasJauntTag(leadingJsDoc(ts, sf, child))) {
        out.push(diagnostic(Codes.NotTopLevel,
          '@jaunt on a class or interface member is not supported: write the spec as a top-level `declare function`',
          at(sf, child)));
      }
    } else if (ts.isFunctionDeclaration(child) || ts.isVariableStatement(child)) {
      if (hasJauntTag(leadingJsDoc(ts, sf, child))) {
        out.push(diagnostic(Codes.NotTopLevel,
          '@jaunt applies only to top-level `declare function` statements, not to nested ones',
          at(sf, child)));
      }
    }
    scanNested(ts, sf, child, out);
  });
}

/**
 * Finds the specs of one file by reading the leading comments of its top-level statements
 * (tsc >= 5.3 skips JSDoc parsing, and turning it back on costs ~35% parse time).
 */
export function findSpecsInFile(ts: typeof TS, sf: TS.SourceFile): FileScan {
  const out: FileScan = { specs: [], invalid: [], diagnostics: [] };
  const disagreeing = new Set<FoundSpec>();
  if (!sf.text.includes('@jaunt')) return out;
  const isDts = sf.isDeclarationFile;
  let previous: FoundSpec | undefined;
  const seen = new Map<string, FoundSpec>();
  for (const stmt of sf.statements) {
    const doc = leadingJsDoc(ts, sf, stmt);
    const isDeclareFn = ts.isFunctionDeclaration(stmt) && !stmt.body && stmt.name !== undefined &&
      (hasModifier(ts, stmt, ts.SyntaxKind.DeclareKeyword) || isDts);
    // An undocumented overload right after a spec with the same name belongs to it.
    if (isDeclareFn && previous && stmt.name!.text === previous.name && !hasJauntTag(doc)) {
      previous.declarations.push(stmt);
      continue;
    }
    if (isDeclareFn && previous && stmt.name!.text === previous.name && hasJauntTag(doc)) {
      if (doc.normalized !== previous.jsdoc.normalized) {
        out.diagnostics.push(diagnostic(Codes.OverloadsDisagree,
          `overloads of spec '${previous.name}' carry different @jaunt contracts: keep one JSDoc, on the first overload`,
          at(sf, stmt), previous.name));
        disagreeing.add(previous);
      }
      previous.declarations.push(stmt);
      continue;
    }
    previous = undefined;
    if (ts.isModuleDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt)) {
      scanNested(ts, sf, stmt, out.diagnostics);
    }
    if (!hasJauntTag(doc)) continue;
    if (!ts.isFunctionDeclaration(stmt)) {
      out.diagnostics.push(diagnostic(Codes.NotAFunction,
        `@jaunt is on ${describeKind(ts, stmt)}; specs are \`declare function\` statements`, at(sf, stmt)));
      continue;
    }
    const name = stmt.name?.text ?? 'default';
    if (!isDeclareFn) {
      out.diagnostics.push(diagnostic(Codes.NotDeclareFunction,
        stmt.body
          ? `'${name}' has @jaunt but already has a body: remove the body and write \`declare function ${name}(...)\` to let Jaunt implement it, or drop the tag`
          : `spec '${name}' must be written \`declare function ${name}(...)\``,
        at(sf, stmt), name));
      continue;
    }
    const spec: FoundSpec = {
      name, sourceFile: sf, declarations: [stmt], jsdoc: doc,
      exported: hasModifier(ts, stmt, ts.SyntaxKind.ExportKeyword), line: lineOf(sf, stmt),
    };
    if (isDts) {
      out.diagnostics.push(diagnostic(Codes.SpecInDeclarationFile,
        `spec '${name}' is in a declaration file, which emits no JavaScript: move it to a .ts file`, at(sf, stmt), name));
      continue;
    }
    const dup = seen.get(name);
    if (dup) {
      out.diagnostics.push(diagnostic(Codes.DuplicateSpec,
        `spec '${name}' is declared twice in this file (first at line ${dup.line}); overloads must be adjacent`,
        at(sf, stmt), name));
      continue;
    }
    seen.set(name, spec);
    out.specs.push(spec);
    previous = spec;
  }
  const found = out.specs;
  out.specs = [];
  for (const spec of found) {
    const ok = checkSpecShape(ts, spec, out.diagnostics) && !disagreeing.has(spec);
    (ok ? out.specs : out.invalid).push(spec);
  }
  return out;
}
