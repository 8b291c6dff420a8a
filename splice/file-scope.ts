import type * as TS from 'typescript';
import { topLevelNames } from './entry-names';
import { hasModifier } from '../spec/node-facts';

/** A value binding the user's file imports: `import { imported as local } from module`. */
export interface UserImport {
  module: string;
  /** The exported name, 'default', or '*' for a namespace import. */
  imported: string;
}

/** What a spec's file offers the code spliced into it, read once per file. */
export interface FileScope {
  sourceFile: TS.SourceFile;
  commonJs: boolean;
  /** Every word of the file and the names the module wrapper or the CommonJS transform own. */
  words: ReadonlySet<string>;
  /** Value imports of the file, by local name. */
  imports: ReadonlyMap<string, UserImport>;
  /**
   * `export const/let/var` names. Under CommonJS tsc keeps no local binding for them (it writes
   * `exports.X`), and it rewrites only references in the file's own nodes, never in spliced ones.
   */
  exportedVariables: ReadonlySet<string>;
  /** `const enum` names: tsc inlines their members in the file's own code only; nothing exists at run time. */
  constEnums: ReadonlySet<string>;
  /**
   * Names whose value exists only once their statement ran (variables, classes, enums, namespaces),
   * with that statement's index: spliced helpers that use them at load must come after it.
   */
  initializedAt: ReadonlyMap<string, number>;
  /** Index of the first statement after the prologue and the imports. */
  firstBodyStatement: number;
}

// Names the module wrapper or the CommonJS transform owns (its prologue calls `Object.defineProperty`).
const RESERVED = ['require', 'exports', 'module', '__filename', '__dirname', 'arguments', 'undefined', 'globalThis', 'Object'];

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

export function readFileScope(ts: typeof TS, sf: TS.SourceFile, commonJs: boolean): FileScope {
  const exportedVariables = new Set<string>();
  const constEnums = new Set<string>();
  const initializedAt = new Map<string, number>();
  let firstBodyStatement = 0;
  sf.statements.forEach((s, i) => {
    const prologue = ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
    if (firstBodyStatement === i && (ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s) || prologue)) firstBodyStatement = i + 1;
    // A `declare class` is a class spec that becomes a class right here (or an ambient class that has no
    // value in this file at all): helpers using it at load go after it either way.
    if (ts.isClassDeclaration(s) && s.name && hasModifier(ts, s, ts.SyntaxKind.DeclareKeyword) && !initializedAt.has(s.name.text)) initializedAt.set(s.name.text, i);
    if (hasModifier(ts, s, ts.SyntaxKind.DeclareKeyword)) return;
    if (ts.isEnumDeclaration(s) && hasModifier(ts, s, ts.SyntaxKind.ConstKeyword)) constEnums.add(s.name.text);
    else if (ts.isVariableStatement(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s)) {
      const names = ts.isModuleDeclaration(s) ? (ts.isIdentifier(s.name) ? [s.name.text] : []) : topLevelNames(ts, s);
      for (const n of names) if (!initializedAt.has(n)) initializedAt.set(n, i);
      if (ts.isVariableStatement(s) && hasModifier(ts, s, ts.SyntaxKind.ExportKeyword)) names.forEach((n) => exportedVariables.add(n));
    }
  });
  const words = new Set([...(sf.text.match(/[A-Za-z_$][\w$]*/g) ?? []), ...RESERVED, ...(commonJs ? generatedImportNames(ts, sf) : [])]);
  return { sourceFile: sf, commonJs, words, imports: userImports(ts, sf), exportedVariables, constEnums, initializedAt, firstBodyStatement };
}
