import type * as TS from 'typescript';
import { Codes, diagnostic, type JauntDiagnostic } from '../core/errors';
import { examplesOf } from '../behaviour/parse-examples';
import { findTagMistake, misspeltDepsTags } from './misplaced-tags';
import { reservedNameProblem } from './near-names';
import { hasModifier, nodeLocation as at } from './node-facts';
import { hasJauntTag, leadingJsDoc, parseJsDoc, type JsDocBlock } from './read-jsdoc';
import { kindOf, kindOfDoc } from '../spec-kinds/spec-kind';
import { shapeOf } from '../spec-kinds/shapes';
import { notAFunctionAdvice, notDeclareAdvice, notDeclareClassAdvice, notTopLevelAdvice, signatureText, tagMistakeAdvice } from './spec-advice';

/** A `@jaunt` spec as found in a file: its overload declarations and its contract. */
export interface FoundSpec {
  name: string;
  sourceFile: TS.SourceFile;
  /** The `declare function` statements, in order (several when overloaded), or the one `declare class`. */
  declarations: TS.FunctionDeclaration[] | [TS.ClassDeclaration];
  /** What it declares (spec-kinds/shapes.ts); absent for a function. */
  shape?: 'function' | 'class';
  /** The JSDoc of each member that has one (a class): their contracts and examples are the spec's too. */
  memberDocs?: JsDocBlock[];
  jsdoc: JsDocBlock;
  exported: boolean;
  /** 1-based line of the first declaration. */
  line: number;
  /** The spec kind's name (spec-kinds/) when it is not a plain function spec, e.g. `test` for `@jauntTest`. */
  kind?: string;
}

/** A JSDoc that declares a spec: `@jaunt`, or the tag of a spec kind (`@jauntTest`). */
const isSpecDoc = (doc: JsDocBlock | undefined): doc is JsDocBlock => hasJauntTag(doc) || kindOfDoc(doc) !== undefined;

export interface FileScan {
  /** Well-formed specs. */
  specs: FoundSpec[];
  /** Specs whose shape is wrong: reported, and emitted as functions that throw. */
  invalid: FoundSpec[];
  diagnostics: JauntDiagnostic[];
}

function lineOf(sf: TS.SourceFile, node: TS.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function describeKind(ts: typeof TS, node: TS.Node): string {
  if (ts.isVariableStatement(node)) return 'a variable';
  if (ts.isClassDeclaration(node)) return 'a class';
  if (ts.isInterfaceDeclaration(node)) return 'an interface';
  if (ts.isTypeAliasDeclaration(node)) return 'a type alias';
  if (ts.isEnumDeclaration(node)) return 'an enum';
  return `a ${ts.SyntaxKind[node.kind]}`;
}

/** Checks one spec's own shape: what a model cannot be held to, it must not be asked for. */
function checkSpecShape(ts: typeof TS, spec: FoundSpec, out: JauntDiagnostic[]): boolean {
  const before = out.length;
  const sf = spec.sourceFile;
  out.push(...shapeOf(spec).checkShape(ts, spec));
  for (const problem of examplesOf(ts, spec).problems) {
    const start = sf.getPositionOfLineAndCharacter(problem.line - 1, 0);
    out.push(diagnostic(Codes.ExampleUnreadable,
      `an @example of spec '${spec.name}' cannot run: ${problem.message}`,
      { file: sf.fileName, start, length: 0, line: problem.line }, spec.name));
  }
  for (const d of kindOf(spec)?.checkShape?.(ts, spec) ?? []) out.push(d);
  if (spec.jsdoc.description === '') {
    out.push(diagnostic(Codes.EmptyContract,
      `spec '${spec.name}' has an empty contract: describe what it must do above the @jaunt tag`,
      at(sf, spec.declarations[0]!), spec.name));
  }
  return out.length === before;
}

/** The name a statement or member declares, as written (`default` for an anonymous default export). */
function declaredName(ts: typeof TS, sf: TS.SourceFile, node: TS.Node): string {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations[0]?.name.getText(sf) ?? 'default';
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const name = (node as { name?: TS.Node }).name;
  return name ? name.getText(sf) : 'default';
}

function containerOf(ts: typeof TS, sf: TS.SourceFile, node: TS.Node): string {
  const kind = ts.isClassLike(node) ? 'class' : ts.isInterfaceDeclaration(node) ? 'interface' : ts.isModuleDeclaration(node) ? 'namespace' : 'a block';
  return kind === 'a block' ? kind : `${kind} '${declaredName(ts, sf, node)}'`;
}

/** The JSDoc of each member of a class spec that has one. */
function classMemberDocs(ts: typeof TS, sf: TS.SourceFile, decl: TS.ClassDeclaration): JsDocBlock[] {
  return decl.members.flatMap((m) => leadingJsDoc(ts, sf, m) ?? []);
}

/** Reports `@jaunt` where it cannot apply: class members and nested declarations. */
function scanNested(ts: typeof TS, sf: TS.SourceFile, node: TS.Node, container: string, out: JauntDiagnostic[]): void {
  ts.forEachChild(node, (child) => {
    const member = ts.isClassElement(child) || ts.isTypeElement(child);
    if ((member || ts.isFunctionDeclaration(child) || ts.isVariableStatement(child)) && isSpecDoc(leadingJsDoc(ts, sf, child))) {
      const name = declaredName(ts, sf, child);
      out.push(diagnostic(Codes.NotTopLevel, notTopLevelAdvice(name, container, signatureText(ts, sf, child)), at(sf, child), name));
    }
    const inner = ts.isClassLike(child) || ts.isInterfaceDeclaration(child) || ts.isModuleDeclaration(child);
    scanNested(ts, sf, child, inner ? containerOf(ts, sf, child) : container, out);
  });
}

/**
 * A misplaced or misspelt `@jaunt` above a top-level function, variable or class. Above a bodiless
 * `declare function` it is an error, and the function is returned as a spec to emit as one that throws
 * (rather than leave the module without it); above anything else, which keeps its code, a warning.
 */
function reportTagMistake(
  ts: typeof TS, sf: TS.SourceFile, stmt: TS.Statement, bodiless: boolean, doc: JsDocBlock | undefined, out: JauntDiagnostic[],
): FoundSpec | undefined {
  if (!bodiless && !ts.isFunctionDeclaration(stmt) && !ts.isVariableStatement(stmt) && !ts.isClassDeclaration(stmt)) return undefined;
  const found = findTagMistake(ts, sf, stmt, { bodiless });
  if (!found) return undefined;
  const name = declaredName(ts, sf, stmt);
  const code = found.mistake === 'misspelt' || found.mistake === 'deps-without-tag' ? Codes.MisspeltTag : Codes.MisplacedTag;
  const where = { file: sf.fileName, start: found.start, length: found.length, line: sf.getLineAndCharacterOfPosition(found.start).line + 1 };
  const advice = tagMistakeAdvice(sf, found, name, bodiless, signatureText(ts, sf, stmt));
  out.push(diagnostic(code, advice, where, name, bodiless ? 'error' : 'warning'));
  // A reserved name would make even the throwing stand-in a broken module: the error alone must do.
  if (!bodiless || reservedNameProblem(name)) return undefined;
  const common = {
    name, sourceFile: sf, jsdoc: doc ?? parseJsDoc('/** */', found.start),
    exported: hasModifier(ts, stmt, ts.SyntaxKind.ExportKeyword), line: lineOf(sf, stmt),
  };
  return ts.isClassDeclaration(stmt) ? { ...common, declarations: [stmt], shape: 'class' } : { ...common, declarations: [stmt as TS.FunctionDeclaration] };
}

/**
 * Finds the specs of one file by reading the leading comments of its top-level statements
 * (tsc >= 5.3 skips JSDoc parsing, and turning it back on costs ~35% parse time). A file that never
 * mentions "jaunt" costs one text test, plus a look at the comments of its `declare function`s, if any.
 */
export function findSpecsInFile(ts: typeof TS, sf: TS.SourceFile): FileScan {
  const out: FileScan = { specs: [], invalid: [], diagnostics: [] };
  const isDts = sf.isDeclarationFile;
  const mentions = /jaunt/i.test(sf.text);
  if (!mentions && (isDts || !sf.text.includes('declare'))) return out;
  const disagreeing = new Set<FoundSpec>();
  // Declared by a misplaced or misspelt tag: reported, emitted as functions that throw, never generated.
  const untagged = new Set<FoundSpec>();
  let previous: FoundSpec | undefined;
  const seen = new Map<string, FoundSpec>();
  for (const stmt of sf.statements) {
    const isDeclareFn = ts.isFunctionDeclaration(stmt) && !stmt.body && stmt.name !== undefined &&
      (hasModifier(ts, stmt, ts.SyntaxKind.DeclareKeyword) || isDts);
    const isDeclareClass = ts.isClassDeclaration(stmt) && stmt.name !== undefined && (hasModifier(ts, stmt, ts.SyntaxKind.DeclareKeyword) || isDts);
    if (!mentions && !isDeclareFn) continue;
    const doc = leadingJsDoc(ts, sf, stmt);
    // An undocumented overload right after a spec with the same name belongs to it.
    if (isDeclareFn && previous && previous.shape !== 'class' && stmt.name!.text === previous.name && !isSpecDoc(doc)) {
      (previous.declarations as TS.FunctionDeclaration[]).push(stmt);
      continue;
    }
    if (isDeclareFn && previous && previous.shape !== 'class' && stmt.name!.text === previous.name && isSpecDoc(doc)) {
      if (doc.normalized !== previous.jsdoc.normalized) {
        out.diagnostics.push(diagnostic(Codes.OverloadsDisagree,
          `overloads of spec '${previous.name}' carry different @jaunt contracts: keep one JSDoc, on the first overload`,
          at(sf, stmt), previous.name));
        disagreeing.add(previous);
      }
      (previous.declarations as TS.FunctionDeclaration[]).push(stmt);
      continue;
    }
    previous = undefined;
    // A class spec's members carry their own contracts; only another container's `@jaunt` is misplaced.
    if (mentions && !(isDeclareClass && isSpecDoc(doc)) && (ts.isModuleDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt))) {
      scanNested(ts, sf, stmt, containerOf(ts, sf, stmt), out.diagnostics);
    }
    if (!isSpecDoc(doc)) {
      const spec = isDts ? undefined : reportTagMistake(ts, sf, stmt, isDeclareFn || isDeclareClass, doc, out.diagnostics);
      if (spec && !seen.has(spec.name)) {
        seen.set(spec.name, spec);
        out.specs.push(spec);
        untagged.add(spec);
        previous = spec;
      }
      continue;
    }
    if (ts.isClassDeclaration(stmt) && !isDeclareClass) {
      const name = stmt.name?.text ?? 'default';
      out.diagnostics.push(diagnostic(Codes.NotDeclareClass, notDeclareClassAdvice(name, stmt.members.length > 0), at(sf, stmt), name));
      continue;
    }
    if (!ts.isFunctionDeclaration(stmt) && !ts.isClassDeclaration(stmt)) {
      const name = ts.isVariableStatement(stmt) || (stmt as { name?: TS.Node }).name ? declaredName(ts, sf, stmt) : undefined;
      out.diagnostics.push(diagnostic(Codes.NotAFunction, notAFunctionAdvice(sf, describeKind(ts, stmt), name), at(sf, stmt), name));
      continue;
    }
    const name = stmt.name?.text ?? 'default';
    if (ts.isFunctionDeclaration(stmt) && !isDeclareFn) {
      out.diagnostics.push(diagnostic(Codes.NotDeclareFunction, notDeclareAdvice(ts, sf, stmt), at(sf, stmt), name));
      continue;
    }
    const common = { name, sourceFile: sf, jsdoc: doc, exported: hasModifier(ts, stmt, ts.SyntaxKind.ExportKeyword), line: lineOf(sf, stmt) };
    const spec: FoundSpec = ts.isClassDeclaration(stmt)
      ? { ...common, declarations: [stmt], shape: 'class', memberDocs: classMemberDocs(ts, sf, stmt) }
      : { ...common, declarations: [stmt], ...(kindOfDoc(doc) ? { kind: kindOfDoc(doc)!.name } : {}) };
    if (isDts) {
      out.diagnostics.push(diagnostic(Codes.SpecInDeclarationFile,
        `spec '${name}' is in a declaration file, which emits no JavaScript: move it to a .ts file`, at(sf, stmt), name));
      continue;
    }
    const reserved = reservedNameProblem(name);
    if (reserved) {
      // Rejected before any request is paid for; no stand-in either, since one of this name cannot load.
      out.diagnostics.push(diagnostic(Codes.ReservedSpecName,
        `spec '${name}' cannot have that name: ${reserved}. Rename it (for example to '${name.replace(/^_+/, '')}Fn') and update its callers`,
        at(sf, stmt.name!), name));
      continue;
    }
    const dup = seen.get(name);
    if (dup) {
      out.diagnostics.push(diagnostic(Codes.DuplicateSpec,
        `spec '${name}' is declared twice in this file (first at line ${dup.line}); overloads must be adjacent`,
        at(sf, stmt), name));
      continue;
    }
    for (const tag of misspeltDepsTags(doc.tags)) {
      const start = doc.pos + Math.max(0, doc.raw.indexOf(`@${tag}`));
      out.diagnostics.push(diagnostic(Codes.MisspeltTag,
        `spec '${name}' has \`@${tag}\`, which Jaunt does not read, so the names after it are not dependencies: write \`@jauntDeps\``,
        { file: sf.fileName, start, length: tag.length + 1, line: sf.getLineAndCharacterOfPosition(start).line + 1 }, name, 'warning'));
    }
    seen.set(name, spec);
    out.specs.push(spec);
    previous = spec;
  }
  const found = out.specs;
  out.specs = [];
  for (const spec of found) {
    const ok = !untagged.has(spec) && checkSpecShape(ts, spec, out.diagnostics) && !disagreeing.has(spec);
    (ok ? out.specs : out.invalid).push(spec);
  }
  return out;
}
