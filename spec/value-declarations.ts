import type * as TS from 'typescript';
import { canonicalText, rawWithComments } from './declaration-text';

/** A top-level variable statement or function declaration whose value a `typeof` reads. */
export type ValueStatement = TS.VariableStatement | TS.FunctionDeclaration;

/** How a value enters a spec's types: its hashed and shown text, and what in it decides its type. */
export interface ValueSource {
  name: string;
  /** Canonical tokens: what the hash sees. */
  printed: string;
  /** As written, with leading comments: what the model sees. */
  raw: string;
  /** Searched for type references and type queries. */
  typeRoots: TS.Node[];
  /** Expressions whose type is inferred: the project values they name decide this value's type too. */
  valueRoots: TS.Node[];
}

const atTopLevel = (ts: typeof TS, node: TS.Node): boolean => ts.isSourceFile(node.parent) || ts.isModuleBlock(node.parent);

/** The body of an overloaded function: `typeof f` is its overloads, never the implementation's signature. */
function isOverloadImplementation(ts: typeof TS, decl: TS.FunctionDeclaration): boolean {
  if (!decl.body) return false;
  const statements = (decl.parent as TS.SourceFile | TS.ModuleBlock).statements;
  const previous = statements[statements.indexOf(decl) - 1];
  return previous !== undefined && ts.isFunctionDeclaration(previous) && !previous.body && previous.name?.text === decl.name?.text;
}

/**
 * The statement that declares a value at the top level of a file or namespace; undefined for locals,
 * parameters and properties (which live inside something already followed) and for other kinds.
 */
export function valueStatement(ts: typeof TS, decl: TS.Declaration): ValueStatement | undefined {
  if (ts.isFunctionDeclaration(decl)) return atTopLevel(ts, decl) && !isOverloadImplementation(ts, decl) ? decl : undefined;
  let node: TS.Node = decl;
  // `const { a, b } = x`: a binding element belongs to the statement of its pattern.
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  if (!ts.isVariableDeclaration(node)) return undefined;
  const stmt = node.parent.parent;
  return ts.isVariableStatement(stmt) && atTopLevel(ts, stmt) ? stmt : undefined;
}

function boundNames(ts: typeof TS, name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : boundNames(ts, e.name)));
}

export function describeValue(ts: typeof TS, stmt: ValueStatement): ValueSource {
  const sf = stmt.getSourceFile();
  if (ts.isVariableStatement(stmt)) {
    const declarations = stmt.declarationList.declarations;
    return {
      name: declarations.flatMap((d) => boundNames(ts, d.name)).join(', '),
      printed: canonicalText(ts, sf, stmt),
      raw: rawWithComments(ts, sf, stmt),
      typeRoots: [stmt],
      // With an annotation the declared type is the value's type, whatever the initializer names.
      valueRoots: declarations.flatMap((d) => (!d.type && d.initializer ? [d.initializer] : [])),
    };
  }
  // With a declared return type, `typeof f` is the signature alone: a body edit cannot change it, so the
  // body is neither hashed nor shown (nor followed). Without one the body decides the return type, so it
  // is hashed, shown and searched like an initializer. So are defaults of parameters without a type.
  const hidden = stmt.type ? stmt.body : undefined;
  const signature = [...(stmt.typeParameters ?? []), ...stmt.parameters, ...(stmt.type ? [stmt.type] : [])];
  const inferred = stmt.parameters.flatMap((p) => (!p.type && p.initializer ? [p.initializer] : []));
  const body = !hidden && stmt.body ? [stmt.body] : [];
  return {
    name: stmt.name?.text ?? 'default',
    printed: canonicalText(ts, sf, stmt, hidden),
    raw: hidden ? `${rawWithComments(ts, sf, stmt, hidden.pos)} { … }` : rawWithComments(ts, sf, stmt),
    typeRoots: [...signature, ...body],
    valueRoots: [...inferred, ...body],
  };
}

/** Calls `use` with the symbol of each identifier in expression position under `root`. */
export function forEachValueSymbol(
  ts: typeof TS, checker: TS.TypeChecker, root: TS.Node, use: (symbol: TS.Symbol | undefined) => void,
): void {
  const visit = (n: TS.Node): void => {
    // `f<T>` in an expression (an instantiation expression) still names the value `f`.
    if (ts.isExpressionWithTypeArguments(n)) return visit(n.expression);
    // Type positions are the type walk's: a name there is a type, or a `typeof` it follows itself.
    if (ts.isTypeNode(n)) return;
    // `{ AddressSchema }`: the name's own symbol is the new property, not the value it copies.
    if (ts.isShorthandPropertyAssignment(n)) use(checker.getShorthandAssignmentValueSymbol(n));
    else if (ts.isIdentifier(n)) use(checker.getSymbolAtLocation(n));
    ts.forEachChild(n, visit);
  };
  visit(root);
}
