import type * as TS from 'typescript';
import { Codes, JauntError } from '../core/errors';
import { detach } from './detach-nodes';
import { renameEntry, type UserImport } from './rewrite-entry';

export interface SpliceInput {
  specName: string;
  /** The spec's statements (overloads): the first one's place and export modifiers are reused. */
  declarations: readonly TS.FunctionDeclaration[];
  body: string;
  taken: Set<string>;
  userImports: ReadonlyMap<string, UserImport>;
  commonJs: boolean;
  /** Shown in a comment above the spliced function, e.g. the entry's path. */
  label: string;
  /** Where errors point: the spec's file. */
  fileName: string;
}

export interface SpliceParts {
  /** Imports (or requires) and helpers, for the top of the file so code above the spec can call it. */
  hoisted: TS.Statement[];
  /** The implementation, with the spec's name and export modifiers, for the spec's place. */
  main: TS.FunctionDeclaration;
  /** Module-scope names the splice declares. */
  declared: string[];
}

/** Turns a cached implementation into statements for the spec's file. Throws JauntError on a bad entry. */
export function buildSplice(ts: typeof TS, input: SpliceInput): SpliceParts {
  const exportish = new Set<number>([ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DefaultKeyword, ts.SyntaxKind.DeclareKeyword]);
  const rewritten = renameEntry(ts, input);
  const sf = ts.createSourceFile(`${input.specName}.jaunt.ts`, rewritten.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const first = input.declarations[0]!;
  // A body that does not parse (a truncated file, a bad hand edit) would be printed as broken JavaScript
  // that fails the whole module at load: refuse it, so the spec gets a function that throws instead.
  const syntaxError = (sf as TS.SourceFile & { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics?.[0];
  if (syntaxError) {
    throw new JauntError(Codes.CorruptEntry,
      `the cached implementation (${input.label}) does not parse: ${ts.flattenDiagnosticMessageText(syntaxError.messageText, ' ')}`,
      { file: input.fileName, start: first.getStart(), length: first.getEnd() - first.getStart() }, input.specName);
  }
  const mapTo: TS.SourceMapRange = { pos: first.getStart(), end: first.getEnd() };
  const f = ts.factory;
  const hoisted: TS.Statement[] = [];
  let main: TS.FunctionDeclaration | undefined;
  for (const stmt of sf.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name?.text === input.specName) {
      if (stmt.body) main = stmt;
      continue; // overload signatures of the implementation are types only
    }
    if (ts.isExportDeclaration(stmt) || ts.isExportAssignment(stmt)) continue;
    if (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt)) continue;
    if (ts.canHaveModifiers(stmt) && ts.getModifiers(stmt)?.some((m) => exportish.has(m.kind))) {
      // Helpers must not become exports of the user's module.
      const kept = (ts.getModifiers(stmt) ?? []).filter((m) => !exportish.has(m.kind));
      hoisted.push(detach(ts, f.replaceModifiers(stmt, kept), mapTo));
    } else hoisted.push(detach(ts, stmt, mapTo));
  }
  if (!main) {
    throw new JauntError(Codes.EntryLacksFunction,
      `the cached implementation does not define \`function ${input.specName}(...) { ... }\``,
      { file: input.fileName, start: first.getStart(), length: first.getEnd() - first.getStart() }, input.specName);
  }
  const specModifiers = (ts.getModifiers(first) ?? []).filter((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword);
  const asyncModifier = (ts.getModifiers(main) ?? []).filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const modifiers = [...specModifiers.map((m) => f.createModifier(m.kind as TS.ModifierSyntaxKind)), ...asyncModifier.map(() => f.createModifier(ts.SyntaxKind.AsyncKeyword))];
  // A new node, not an update of the entry's function: the CommonJS transform decides whether to write
  // `exports.name = name` from the original node's modifiers, and the entry's function may lack `export`.
  const detached = detach(ts, main, mapTo);
  const fn = f.createFunctionDeclaration(modifiers, detached.asteriskToken, f.createIdentifier(input.specName),
    detached.typeParameters, detached.parameters, detached.type, detached.body);
  ts.setSourceMapRange(fn, mapTo);
  ts.addSyntheticLeadingComment(fn, ts.SyntaxKind.MultiLineCommentTrivia, ` jaunt: ${input.label} `, true);
  return { hoisted, main: fn, declared: rewritten.declared };
}
