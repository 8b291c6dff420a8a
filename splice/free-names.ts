import type * as TS from 'typescript';
import { boundNames, isPropertyName } from './entry-names';

/**
 * Whether an identifier sits where only types live (annotations, `typeof X` queries, interfaces, type
 * aliases, `implements`): erased at emit, so it needs no value at run time.
 */
export function isTypePosition(ts: typeof TS, id: TS.Identifier): boolean {
  for (let n: TS.Node = id; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isExpressionWithTypeArguments(n)) {
      // `class A extends Base<T>`: Base is a value; `implements I` and interface heritage are types.
      if (ts.isHeritageClause(p) && (p.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(p.parent))) return true;
      continue;
    }
    if (ts.isTypeNode(n)) return true;
    if (ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p) || ts.isTypeParameterDeclaration(p)) return true;
  }
  return false;
}

/** Whether an identifier names what its parent declares (`const x`, `function f`, `(a) =>`): not a reference. */
function isDeclarationName(ts: typeof TS, id: TS.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) ||
      ts.isClassDeclaration(p) || ts.isClassExpression(p) || ts.isEnumDeclaration(p) || ts.isModuleDeclaration(p) ||
      ts.isImportEqualsDeclaration(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportSpecifier(p)) {
    return (p as TS.NamedDeclaration).name === id;
  }
  if (ts.isBindingElement(p)) return p.name === id;
  return false;
}

const isFunctionScope = (ts: typeof TS, n: TS.Node): n is TS.SignatureDeclaration =>
  ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) ||
  ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);

/** `var` names declared anywhere in a function body, not looking into nested functions. */
function varNames(ts: typeof TS, body: TS.Node, out: Set<string>): void {
  const visit = (n: TS.Node): void => {
    if (isFunctionScope(ts, n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && !(n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
      for (const d of n.declarations) boundNames(ts, d.name).forEach((x) => out.add(x));
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
}

/** Block-scoped names a statement list declares directly: let/const, functions, classes, enums. */
function lexicalNames(ts: typeof TS, statements: readonly TS.Statement[], out: Set<string>): void {
  for (const s of statements) {
    if (ts.isVariableStatement(s)) s.declarationList.declarations.forEach((d) => boundNames(ts, d.name).forEach((x) => out.add(x)));
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) out.add(s.name.text);
  }
}

/** The names a scope node makes visible inside itself; undefined when the node is no scope. */
function scopeNames(ts: typeof TS, n: TS.Node): Set<string> | undefined {
  const out = new Set<string>();
  if (isFunctionScope(ts, n)) {
    for (const p of n.parameters) boundNames(ts, p.name).forEach((x) => out.add(x));
    if (ts.isFunctionExpression(n) && n.name) out.add(n.name.text);
    if (!ts.isArrowFunction(n)) out.add('arguments');
    const body = (n as TS.FunctionLikeDeclarationBase).body;
    if (body) varNames(ts, body, out);
    return out;
  }
  if (ts.isBlock(n) || ts.isModuleBlock(n)) lexicalNames(ts, n.statements, out);
  else if (ts.isCaseBlock(n)) n.clauses.forEach((c) => lexicalNames(ts, c.statements, out));
  else if (ts.isCatchClause(n) && n.variableDeclaration) boundNames(ts, n.variableDeclaration.name).forEach((x) => out.add(x));
  else if ((ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer)) {
    n.initializer.declarations.forEach((d) => boundNames(ts, d.name).forEach((x) => out.add(x)));
  } else if (ts.isClassExpression(n) && n.name) out.add(n.name.text);
  else return undefined;
  return out;
}

export interface NameUses {
  /**
   * Value references not bound inside the text (neither by a nested scope nor at its top level): names
   * the text takes from the file it lands in or from the globals, with each identifier that uses them.
   */
  free: Map<string, TS.Identifier[]>;
  /** Value references to the text's own top-level declarations. */
  own: Map<string, TS.Identifier[]>;
  /** Names used in type positions only somewhere (for imports that are needed as types alone). */
  typeUses: Set<string>;
}

/**
 * Scope-aware uses of names in a parsed text (an entry, or one statement of it). `topLevel` are the
 * names the text's own top level declares (they are module scope once spliced).
 */
export function nameUses(ts: typeof TS, root: TS.Node, topLevel: ReadonlySet<string>): NameUses {
  const scopes = new Map<TS.Node, Set<string> | undefined>();
  const namesOf = (n: TS.Node) => (scopes.has(n) ? scopes.get(n) : scopes.set(n, scopeNames(ts, n)).get(n));
  const free = new Map<string, TS.Identifier[]>();
  const own = new Map<string, TS.Identifier[]>();
  const typeUses = new Set<string>();
  const add = (m: Map<string, TS.Identifier[]>, id: TS.Identifier) => m.set(id.text, [...(m.get(id.text) ?? []), id]);
  const visit = (n: TS.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return;
    if (ts.isIdentifier(n) && !isPropertyName(ts, n) && !isDeclarationName(ts, n)) {
      if (isTypePosition(ts, n)) typeUses.add(n.text);
      else if (!boundInside(n)) add(topLevel.has(n.text) ? own : free, n);
    }
    ts.forEachChild(n, visit);
  };
  const boundInside = (id: TS.Identifier): boolean => {
    for (let a = id.parent; a && a !== root; a = a.parent) {
      // A parameter's own default cannot see the function's body, but can see its parameters: close enough.
      if (namesOf(a)?.has(id.text)) return true;
    }
    return root !== id && !ts.isSourceFile(root) ? namesOf(root)?.has(id.text) ?? false : false;
  };
  visit(root);
  return { free, own, typeUses };
}
