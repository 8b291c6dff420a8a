import type * as TS from 'typescript';
import { rawWithComments } from './declaration-text';
import { describeValue, forEachValueSymbol, valueStatement } from './value-declarations';

/**
 * A project declaration that a spec's signature references, directly or through other declarations:
 * a type, or a value whose type a `typeof` reads.
 */
export interface TypeSource {
  /** `file#name` (`file#typeof name` for a value), the sort key. */
  key: string;
  kind: 'type' | 'value';
  name: string;
  /** Absolute file name. */
  fileName: string;
  /** Printed without comments or formatting: what the hash sees. */
  printed: string;
  /** The declaration as written, with its leading comments: what the model sees. */
  raw: string;
}

type TypeDecl = TS.InterfaceDeclaration | TS.TypeAliasDeclaration | TS.EnumDeclaration | TS.ClassDeclaration;

export function isProjectFile(program: TS.Program, sf: TS.SourceFile): boolean {
  return !program.isSourceFileFromExternalLibrary(sf) && !program.isSourceFileDefaultLibrary(sf) &&
    !/[\\/]node_modules[\\/]/.test(sf.fileName);
}

/** `a.b.c` → `a`, `b`, `c`: `typeof config.db` depends on `config`, `typeof ns.X` on `X`. */
function entityIdentifiers(ts: typeof TS, name: TS.Node): TS.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return ts.isQualifiedName(name) ? [...entityIdentifiers(ts, name.left), name.right] : [];
}

/**
 * The interfaces, type aliases, enums and classes from project files that `roots` reference, and the
 * project variables and functions that `typeof` reads there, transitively, sorted by key. A value's
 * inferred type comes from its initializer (or a function's body), so the project values named there
 * are followed too. Types and values from libraries are left out: the signature's text names them.
 */
export function collectReferencedTypes(
  ts: typeof TS, program: TS.Program, roots: readonly TS.Node[], relative: (fileName: string) => string,
  exclude: readonly TS.Node[] = [],
): TypeSource[] {
  const checker = program.getTypeChecker();
  const printer = ts.createPrinter({ removeComments: true });
  const found = new Map<string, TypeSource>();
  // Every declaration is handled once: the guard against cycles (`const A = { b: () => B }`, `B` naming `A`).
  const visited = new Set<TS.Node>(exclude);

  const isTypeDecl = (d: TS.Declaration): d is TypeDecl =>
    ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) || ts.isEnumDeclaration(d) || ts.isClassDeclaration(d);
  const target = (symbol: TS.Symbol | undefined): TS.Symbol | undefined =>
    symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

  const firstVisitInProject = (node: TS.Node): boolean => {
    if (visited.has(node)) return false;
    visited.add(node);
    return isProjectFile(program, node.getSourceFile());
  };

  const record = (source: Omit<TypeSource, 'key'>): void => {
    const file = relative(source.fileName);
    const key = source.kind === 'type' ? `${file}#${source.name}` : `${file}#typeof ${source.name}`;
    const previous = found.get(key);
    // Declaration merging and overloads: several declarations share one key.
    found.set(key, previous
      ? { ...source, key, printed: `${previous.printed}\n${source.printed}`, raw: `${previous.raw}\n${source.raw}` }
      : { ...source, key });
  };

  const addType = (decl: TypeDecl): void => {
    if (!firstVisitInProject(decl)) return;
    const sf = decl.getSourceFile();
    record({
      kind: 'type', name: decl.name?.text ?? 'default', fileName: sf.fileName,
      printed: printer.printNode(ts.EmitHint.Unspecified, decl, sf), raw: rawWithComments(ts, sf, decl),
    });
    walkTypes(decl);
  };

  const addValue = (decl: TS.Declaration): void => {
    // A class or enum is a value and a type: one entry either way. An interface or alias merged under a
    // value's name is not what `typeof` reads.
    if (ts.isClassDeclaration(decl) || ts.isEnumDeclaration(decl)) return addType(decl);
    const stmt = valueStatement(ts, decl);
    if (!stmt || !firstVisitInProject(stmt)) return;
    const value = describeValue(ts, stmt);
    record({ kind: 'value', name: value.name, fileName: stmt.getSourceFile().fileName, printed: value.printed, raw: value.raw });
    value.typeRoots.forEach(walkTypes);
    for (const root of value.valueRoots) forEachValueSymbol(ts, checker, root, followValue);
  };

  const followType = (name: TS.EntityName | TS.Expression): void => {
    const symbol = target(checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.right : name));
    for (const decl of symbol?.declarations ?? []) if (isTypeDecl(decl)) addType(decl);
  };

  const followValue = (symbol: TS.Symbol | undefined): void => {
    for (const decl of target(symbol)?.declarations ?? []) addValue(decl);
  };

  const walkTypes = (node: TS.Node): void => {
    if (ts.isTypeReferenceNode(node)) followType(node.typeName);
    else if (ts.isExpressionWithTypeArguments(node)) followType(node.expression);
    else if (ts.isTypeQueryNode(node)) {
      for (const id of entityIdentifiers(ts, node.exprName)) followValue(checker.getSymbolAtLocation(id));
    }
    ts.forEachChild(node, walkTypes);
  };

  for (const root of roots) walkTypes(root);
  return [...found.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
