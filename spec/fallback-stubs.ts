/**
 * The emit of a file when preparing the program failed (a bug, or a problem that stops everything):
 * each spec still becomes a function, one that throws the build's error, never a module without it.
 */
import type * as TS from 'typescript';
import type { JauntDiagnostic } from '../core/errors';
import { findSpecsInFile, type FoundSpec } from './find-specs';
import { detach } from '../splice/detach-nodes';
import { noImplementationMessage, stubBody } from '../splice/plan-file';
import { shapeOf } from '../spec-kinds/shapes';

/** Top-level bodiless `declare function`s with `@jaunt` in a comment: enough when discovery itself threw. */
function roughSpecs(ts: typeof TS, sf: TS.SourceFile): TS.FunctionDeclaration[][] {
  const groups: TS.FunctionDeclaration[][] = [];
  let last: TS.FunctionDeclaration[] | undefined;
  for (const stmt of sf.statements) {
    const fn = ts.isFunctionDeclaration(stmt) && !stmt.body && stmt.name ? stmt : undefined;
    if (!fn || !(ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) {
      last = undefined;
      continue;
    }
    const comments = (ts.getLeadingCommentRanges(sf.text, fn.pos) ?? []).map((r) => sf.text.slice(r.pos, r.end)).join('\n');
    if (last && last[0]!.name!.text === fn.name!.text) last.push(fn);
    else if (/@jaunt\b/.test(comments)) groups.push((last = [fn]));
    else last = undefined;
  }
  return groups;
}

function specGroups(ts: typeof TS, sf: TS.SourceFile): (TS.FunctionDeclaration[] | FoundSpec)[] {
  try {
    const scan = findSpecsInFile(ts, sf);
    return [...scan.specs, ...scan.invalid].map((s) => (s.shape === 'class' ? s : s.declarations as TS.FunctionDeclaration[]));
  } catch {
    return roughSpecs(ts, sf);
  }
}

/** A class spec's stand-in: the declared surface, with a constructor and static members that throw. */
function classStubNode(ts: typeof TS, spec: FoundSpec, problem: JauntDiagnostic): TS.Statement {
  const shape = shapeOf(spec);
  const parsed = ts.createSourceFile('stub.ts', stubBody(ts, spec, problem), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const decl = spec.declarations[0]!;
  const mapTo = { pos: decl.getStart(), end: decl.end };
  const exported = (ts.getModifiers(decl) ?? []).filter((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  return shape.rebuild(ts, detach(ts, shape.implementationOf(ts, parsed, spec.name)!, mapTo), exported);
}

/** `[export] function name(..._args) { throw new Error("Jaunt has no implementation ...") }`, built from nodes. */
function stubNode(ts: typeof TS, decl: TS.FunctionDeclaration, problem: JauntDiagnostic): TS.FunctionDeclaration {
  const f = ts.factory;
  const name = decl.name!.text;
  const exported = (ts.getModifiers(decl) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const message = noImplementationMessage(name, problem);
  const args = f.createParameterDeclaration(undefined, f.createToken(ts.SyntaxKind.DotDotDotToken), '_args');
  const body = f.createBlock([f.createThrowStatement(f.createNewExpression(f.createIdentifier('Error'), undefined, [f.createStringLiteral(message)]))], true);
  const node = f.createFunctionDeclaration(exported ? [f.createModifier(ts.SyntaxKind.ExportKeyword)] : undefined, undefined, name, undefined, [args], undefined, body);
  ts.setSourceMapRange(node, { pos: decl.getStart(sf(decl)), end: decl.end });
  return node;
}

const sf = (n: TS.Node): TS.SourceFile => n.getSourceFile();

/**
 * Replaces every spec of `file` with a function that throws `problem`. Meant for a `before` transformer
 * whose program could not be prepared; if even this fails, the file is returned as it is.
 */
export function stubSpecsAfterFailure(ts: typeof TS, file: TS.SourceFile, problem: JauntDiagnostic): TS.SourceFile {
  try {
    if (!/jaunt/i.test(file.text)) return file;
    const replaced = new Map<TS.Statement, TS.Statement | undefined>();
    for (const group of specGroups(ts, file)) {
      if (Array.isArray(group)) group.forEach((d, i) => replaced.set(d, i === 0 ? stubNode(ts, d, problem) : undefined));
      else replaced.set(group.declarations[0]!, classStubNode(ts, group, problem));
    }
    if (replaced.size === 0) return file;
    const statements = file.statements.flatMap((s) => (replaced.has(s) ? (replaced.get(s) ? [replaced.get(s)!] : []) : [s]));
    return ts.factory.updateSourceFile(file, statements);
  } catch {
    return file;
  }
}
