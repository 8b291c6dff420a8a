import type * as TS from 'typescript';
import { Codes, diagnostic, type JauntDiagnostic } from '../../core/errors';
import type { FoundSpec } from '../../spec/find-specs';
import { hasModifier, nodeLocation as at } from '../../spec/node-facts';
import { checkSignature, containsAny } from '../function-spec/function-shape';
import { declaredMembers } from './class-members';

/**
 * The first use of `name` as a value that runs while the module loads: outside function bodies, types and
 * property names. Walked with its own parent tracking, since discovery runs before the binder sets parents.
 */
function firstLoadTimeUse(ts: typeof TS, root: TS.Node, name: string): TS.Identifier | undefined {
  const visit = (n: TS.Node, parent: TS.Node | undefined): TS.Identifier | undefined => {
    if (ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return undefined;
    if (ts.isHeritageClause(n) && n.token === ts.SyntaxKind.ImplementsKeyword) return undefined;
    if (ts.isFunctionLike(n) && (n as TS.FunctionLikeDeclarationBase).body !== undefined) {
      // Only computed names and parameter defaults run at load; neither is worth the walk here.
      return undefined;
    }
    if (ts.isIdentifier(n)) {
      const named = parent && (ts.isPropertyAccessExpression(parent) ? parent.name === n
        : (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isVariableDeclaration(parent) ||
           ts.isClassDeclaration(parent) || ts.isBindingElement(parent)) && (parent as TS.NamedDeclaration).name === n);
      return n.text === name && !named ? n : undefined;
    }
    return ts.forEachChild(n, (c) => visit(c, n));
  };
  return visit(root, undefined);
}

/**
 * A class exists only once its statement has run, unlike the `declare class` that stands for it (which
 * the checker treats as always there): code above the spec that uses the class at load would fail.
 */
function usedBeforeDeclaration(ts: typeof TS, spec: FoundSpec, decl: TS.ClassDeclaration): JauntDiagnostic[] {
  const sf = spec.sourceFile;
  for (const stmt of sf.statements.slice(0, sf.statements.indexOf(decl))) {
    if (ts.isImportDeclaration(stmt) || ts.isFunctionDeclaration(stmt)) continue;
    const early = firstLoadTimeUse(ts, stmt, spec.name);
    if (!early) continue;
    const line = sf.getLineAndCharacterOfPosition(early.getStart(sf)).line + 1;
    return [diagnostic(Codes.ClassUsedBeforeDeclaration,
      `class spec '${spec.name}' is used at line ${line} when the module loads, above its declaration (line ${spec.line}): a class exists only once its declaration has run, so this would throw a ReferenceError. Move the declaration of '${spec.name}' above line ${line}`,
      at(sf, early), spec.name)];
  }
  return [];
}

export function checkClassShape(ts: typeof TS, spec: FoundSpec): JauntDiagnostic[] {
  const decl = spec.declarations[0] as TS.ClassDeclaration;
  const sf = spec.sourceFile;
  const out: JauntDiagnostic[] = [];
  const unsupported = (node: TS.Node, what: string) => out.push(diagnostic(Codes.ClassSpecUnsupported,
    `class spec '${spec.name}' ${what}`, at(sf, node), spec.name));
  if (hasModifier(ts, decl, ts.SyntaxKind.AbstractKeyword)) {
    unsupported(decl, 'is abstract: Jaunt implements classes that can be constructed; declare the concrete class, or write the abstract base yourself');
  }
  const typed = [...(decl.typeParameters ?? []).flatMap((t) => [t.constraint, t.default]), ...(decl.heritageClauses ?? []).flatMap((h) => h.types)];
  if (typed.some((t) => t !== undefined && containsAny(ts, t))) {
    unsupported(decl, "uses 'any' in its type parameters or heritage: use 'unknown' or a precise type");
  }
  for (const m of declaredMembers(ts, sf, decl)) {
    const what = `member '${m.name}' of class spec '${spec.name}'`;
    for (const node of m.nodes) {
      if (m.kind === 'unsupported') {
        unsupported(node, `has ${ts.isIndexSignatureDeclaration(node) ? 'an index signature' : 'a member'} (\`${node.getText(sf).slice(0, 60)}\`) that Jaunt cannot check: declare methods, properties, accessors and constructors only`);
        continue;
      }
      if (node.name && ts.isPrivateIdentifier(node.name) || hasModifier(ts, node, ts.SyntaxKind.PrivateKeyword) || hasModifier(ts, node, ts.SyntaxKind.ProtectedKeyword)) {
        unsupported(node, `declares ${what} as private or protected: the declaration is the public contract; the implementation keeps its own private state, so remove it`);
        continue;
      }
      if (hasModifier(ts, node, ts.SyntaxKind.AbstractKeyword)) {
        unsupported(node, `declares ${what} abstract: Jaunt implements every member of a class it can construct`);
        continue;
      }
      if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node)) out.push(...checkSignature(ts, spec, node, what));
      else if (ts.isConstructorDeclaration(node) || ts.isSetAccessorDeclaration(node)) out.push(...checkSignature(ts, spec, node, what, false));
      else if (ts.isPropertyDeclaration(node) && (!node.type || containsAny(ts, node.type))) {
        out.push(diagnostic(Codes.AnyInSignature, `${what} ${node.type ? "uses 'any'" : 'has no type'}: write its precise type so the implementation can be checked`, at(sf, node), spec.name));
      }
    }
  }
  out.push(...usedBeforeDeclaration(ts, spec, decl));
  return out;
}
