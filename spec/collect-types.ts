import type * as TS from 'typescript';

/** A project type declaration that a spec's signature references, directly or through other types. */
export interface TypeSource {
  /** `file#name`, the sort key. */
  key: string;
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

function rawWithComments(ts: typeof TS, sf: TS.SourceFile, node: TS.Node): string {
  const comments = ts.getLeadingCommentRanges(sf.text, node.pos) ?? [];
  const start = comments[0]?.pos ?? node.getStart(sf);
  return sf.text.slice(start, node.end).trim();
}

/**
 * The interfaces, type aliases, enums and classes from project files that `roots` reference,
 * transitively, sorted by key. Types from libraries are part of the signature's text already.
 */
export function collectReferencedTypes(
  ts: typeof TS, program: TS.Program, roots: readonly TS.Node[], relative: (fileName: string) => string,
): TypeSource[] {
  const checker = program.getTypeChecker();
  const printer = ts.createPrinter({ removeComments: true });
  const found = new Map<string, TypeSource>();
  const visited = new Set<TS.Node>();

  const isTypeDecl = (d: TS.Declaration): d is TypeDecl =>
    ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) || ts.isEnumDeclaration(d) || ts.isClassDeclaration(d);

  const resolve = (name: TS.EntityName | TS.Expression): void => {
    let symbol = checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.right : name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    for (const decl of symbol?.declarations ?? []) {
      if (!isTypeDecl(decl) || visited.has(decl)) continue;
      visited.add(decl);
      const sf = decl.getSourceFile();
      if (!isProjectFile(program, sf)) continue;
      const typeName = decl.name?.text ?? 'default';
      const key = `${relative(sf.fileName)}#${typeName}`;
      const previous = found.get(key);
      const printed = printer.printNode(ts.EmitHint.Unspecified, decl, sf);
      // Declaration merging: several declarations share one key.
      found.set(key, {
        key, name: typeName, fileName: sf.fileName,
        printed: previous ? `${previous.printed}\n${printed}` : printed,
        raw: previous ? `${previous.raw}\n${rawWithComments(ts, sf, decl)}` : rawWithComments(ts, sf, decl),
      });
      walk(decl);
    }
  };

  const walk = (node: TS.Node): void => {
    if (ts.isTypeReferenceNode(node)) resolve(node.typeName);
    else if (ts.isExpressionWithTypeArguments(node)) resolve(node.expression);
    ts.forEachChild(node, walk);
  };

  for (const root of roots) walk(root);
  return [...found.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
