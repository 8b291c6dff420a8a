import type * as TS from 'typescript';
import { allBoundNames, isPropertyName, topLevelNames } from './entry-names';

/** A value binding the user's file imports: `import { imported as local } from module`. */
export interface UserImport {
  module: string;
  /** The exported name, 'default', or '*' for a namespace import. */
  imported: string;
}

export interface RewriteInput {
  body: string;
  specName: string;
  /** Names the entry may not declare at module scope: everything the user's file and earlier splices use. */
  taken: Set<string>;
  userImports: ReadonlyMap<string, UserImport>;
  commonJs: boolean;
}

export interface RewriteResult {
  text: string;
  /** Module-scope names the rewritten entry declares (to add to `taken` for the next spec). */
  declared: string[];
}

/** A replacement of the text from `pos` to `end`. */
export type Edit = { pos: number; end: number; text: string };

/** Applies non-overlapping edits, last first, so earlier offsets stay valid. */
export function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.pos - a.pos)) out = out.slice(0, e.pos) + e.text + out.slice(e.end);
  return out;
}

function freshName(base: string, used: Set<string>): string {
  for (let i = 1; ; i++) {
    const candidate = `${base}_${i}`;
    if (!used.has(candidate)) return candidate;
  }
}

const importLine = (local: string, imp: UserImport): string =>
  imp.imported === '*' ? `import * as ${local} from ${JSON.stringify(imp.module)};`
    : imp.imported === 'default' ? `import ${local} from ${JSON.stringify(imp.module)};`
      : `import { ${imp.imported} as ${local} } from ${JSON.stringify(imp.module)};`;

/**
 * Renames what the entry declares at module scope where it would collide with the user's file, and
 * re-imports (under fresh names) values it uses from the user's own imports: tsc may elide those
 * imports, and under CommonJS it rewrites references to them, which it cannot do for spliced code.
 * Renaming is consistent over the whole entry, so shadowing inside it stays correct.
 */
export function renameEntry(ts: typeof TS, input: RewriteInput): RewriteResult {
  const sf = ts.createSourceFile('entry.ts', input.body, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const declared = new Set(sf.statements.flatMap((s) => topLevelNames(ts, s)));
  declared.delete(input.specName);
  const bound = allBoundNames(ts, sf);
  const valueUses = new Set<string>();
  const identifiers: TS.Identifier[] = [];
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n)) {
      identifiers.push(n);
      if (!isPropertyName(ts, n)) valueUses.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const words = new Set([...input.taken, ...identifiers.map((i) => i.text)]);
  const renames = new Map<string, string>();
  const reimports: string[] = [];
  for (const name of declared) {
    if (!input.taken.has(name)) continue;
    const fresh = freshName(name, words);
    words.add(fresh);
    renames.set(name, fresh);
  }
  for (const [local, imp] of input.userImports) {
    if (!valueUses.has(local) || bound.has(local)) continue;
    const fresh = freshName(local, words);
    words.add(fresh);
    renames.set(local, fresh);
    reimports.push(importLine(fresh, imp));
  }

  const edits: Edit[] = [];
  for (const id of identifiers) {
    const to = renames.get(id.text);
    if (!to || isPropertyName(ts, id)) continue;
    const p = id.parent;
    const start = id.getStart(sf);
    if (ts.isShorthandPropertyAssignment(p)) edits.push({ pos: start, end: id.end, text: `${id.text}: ${to}` });
    else if ((ts.isBindingElement(p) && !p.propertyName && ts.isObjectBindingPattern(p.parent) && p.name === id) ||
             (ts.isImportSpecifier(p) && !p.propertyName)) {
      edits.push({ pos: start, end: id.end, text: ts.isImportSpecifier(p) ? `${id.text} as ${to}` : `${id.text}: ${to}` });
    } else edits.push({ pos: start, end: id.end, text: to });
  }
  const renamed = applyEdits(input.body, edits);
  const text = reimports.length ? `${reimports.join('\n')}\n${renamed}` : renamed;
  const finalNames = [...declared].map((n) => renames.get(n) ?? n);
  for (const [local] of input.userImports) if (renames.has(local) && !declared.has(local)) finalNames.push(renames.get(local)!);
  return { text: input.commonJs ? importsToRequires(ts, text) : text, declared: finalNames };
}

/** Under CommonJS the entry's imports become `require` calls, which need no rewriting by tsc. */
function importsToRequires(ts: typeof TS, text: string): string {
  const sf = ts.createSourceFile('entry.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: Edit[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt)) continue;
    const mod = JSON.stringify((stmt.moduleSpecifier as TS.StringLiteral).text);
    const clause = stmt.importClause;
    const lines: string[] = [];
    if (!clause) lines.push(`require(${mod});`);
    else if (!clause.isTypeOnly) {
      if (clause.name) lines.push(`const ${clause.name.text} = ((m) => (m && m.__esModule ? m.default : m))(require(${mod}));`);
      const b = clause.namedBindings;
      if (b && ts.isNamespaceImport(b)) lines.push(`const ${b.name.text} = require(${mod});`);
      if (b && ts.isNamedImports(b)) {
        const parts = b.elements.filter((e) => !e.isTypeOnly)
          .map((e) => (e.propertyName ? `${e.propertyName.text}: ${e.name.text}` : e.name.text));
        if (parts.length) lines.push(`const { ${parts.join(', ')} } = require(${mod});`);
      }
    }
    edits.push({ pos: stmt.getStart(sf), end: stmt.end, text: lines.join('\n') });
  }
  return applyEdits(text, edits);
}
