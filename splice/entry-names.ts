import type * as TS from 'typescript';

/** Binding names a pattern or name declares. */
export function boundNames(ts: typeof TS, name: TS.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) boundNames(ts, el.name, out);
  return out;
}

/** Names a top-level statement of an entry declares for the module scope (values only). */
export function topLevelNames(ts: typeof TS, stmt: TS.Statement): string[] {
  if (ts.isImportDeclaration(stmt)) {
    const clause = stmt.importClause;
    if (!clause || clause.isTypeOnly) return [];
    const names = clause.name ? [clause.name.text] : [];
    const b = clause.namedBindings;
    if (b && ts.isNamespaceImport(b)) names.push(b.name.text);
    if (b && ts.isNamedImports(b)) for (const el of b.elements) if (!el.isTypeOnly) names.push(el.name.text);
    return names;
  }
  if (ts.isImportEqualsDeclaration(stmt)) return [stmt.name.text];
  if ((ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt)) && stmt.name) return [stmt.name.text];
  if (ts.isEnumDeclaration(stmt)) return [stmt.name.text];
  if (ts.isVariableStatement(stmt)) return stmt.declarationList.declarations.flatMap((d) => boundNames(ts, d.name));
  return [];
}

/** Type names a top-level statement of an entry declares (interfaces and type aliases). */
export function topLevelTypeNames(ts: typeof TS, stmt: TS.Statement): string[] {
  return ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt) ? [stmt.name.text] : [];
}

/** Whether an identifier is a name in a property position (`a.x`, `{ x: 1 }`, `class { x }`): never renamed. */
export function isPropertyName(ts: typeof TS, id: TS.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) return (ts.isPropertyAccessExpression(p) ? p.name : p.right) === id;
  if (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) ||
      ts.isMethodSignature(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p) ||
      ts.isJsxAttribute(p) || ts.isPropertyAccessChain(p)) return p.name === id;
  if (ts.isBindingElement(p)) return p.propertyName === id;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) return p.propertyName === id;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return true;
  if (ts.isMetaProperty(p)) return true;
  return false;
}

/** Every name bound anywhere in a tree: parameters, locals, catch clauses, imports, declarations. */
export function allBoundNames(ts: typeof TS, root: TS.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: TS.Node): void => {
    if ((ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) && n.name) boundNames(ts, n.name).forEach((x) => out.add(x));
    else if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassDeclaration(n) || ts.isClassExpression(n) || ts.isEnumDeclaration(n)) && n.name) out.add(n.name.text);
    else if (ts.isImportDeclaration(n) || ts.isImportEqualsDeclaration(n)) topLevelNames(ts, n).forEach((x) => out.add(x));
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}
