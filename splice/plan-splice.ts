import type * as TS from 'typescript';
import { Codes, JauntError } from '../core/errors';
import type { FoundSpec } from '../spec/find-specs';
import { namesSpecFile } from '../validate/check-rules';
import { kindOf } from '../spec-kinds/spec-kind';
import { shapeOf } from '../spec-kinds/shapes';
import type { Conformance, SpecShape } from '../spec-kinds/spec-shape';
import { allBoundNames, isPropertyName, topLevelNames, topLevelTypeNames } from './entry-names';
import type { FileScope } from './file-scope';
import { nameUses } from './free-names';
import { fromDeclaration, type PlannedImport } from './planned-imports';
import { applyEditsInRange, freshName, type Edit } from './text-edits';

/** One statement of the entry as it goes into the file. */
export interface PlannedPiece {
  /** `registration`: what the spec's kind adds after the implementation (a jest `test(...)` call). */
  kind: 'value' | 'type' | 'overload' | 'implementation' | 'registration';
  /** TypeScript source of the statement, renamed, with the modifiers it ships with. */
  text: string;
  /** The same for a CommonJS emit: references to the file's exported variables read `exports.X`. */
  commonJsText: string;
  /** Where the statement starts in the entry's body (errors are reported in the entry's lines). */
  bodyStart: number;
}

/** Exactly what ships for one spec: imports, helpers and where they go, and the function. */
export interface SpecPlan {
  spec: FoundSpec;
  /** The entry body this plan was made from. */
  body: string;
  /** Shown in a comment above the spliced function, e.g. the entry's path. */
  label: string;
  imports: PlannedImport[];
  helpers: PlannedPiece[];
  /** Overload signatures and the implementation, for the spec's place. */
  main: PlannedPiece[];
  /** Index of the file statement the helpers go before (the statement count: at the end). */
  helpersBefore: number;
  /** Module-scope names the splice declares (helpers, imports). */
  declared: string[];
  /** Free value names the helpers use: the file's names they need initialized before them. */
  helperUses: ReadonlySet<string>;
  /** Fresh name → the entry's own name, to say errors in the entry's words. */
  renamed: ReadonlyMap<string, string>;
  /** Every free value name of the entry (the file's, or globals), for the module-format rules. */
  freeNames: ReadonlySet<string>;
  /** The type-only check of the implementation against the declaration, for validation to append (made on first use: emit never needs it). */
  conformance(): Conformance;
}

/** The statement of a spec's implementation: `function name(...) { ... }` (or `class Name { ... }`) with a body. */
export function implementationOf(ts: typeof TS, sf: TS.SourceFile, spec: Pick<FoundSpec, 'name' | 'shape'>): TS.Statement | undefined {
  return shapeOf(spec).implementationOf(ts, sf, spec.name);
}

function specRange(spec: FoundSpec) {
  const first = spec.declarations[0]!;
  return { file: spec.sourceFile.fileName, start: first.getStart(), length: first.getEnd() - first.getStart() };
}

/**
 * Plans the splice of one entry into its file. `taken` holds the names the file and the splices before
 * this one use; the plan's own declarations are added to it. Throws JauntError for an entry that does not
 * parse or does not define the function.
 */
export function planSpec(ts: typeof TS, scope: FileScope, spec: FoundSpec, body: string, label: string, taken: Set<string>): SpecPlan {
  const exportish = new Set<number>([ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DefaultKeyword, ts.SyntaxKind.DeclareKeyword]);
  const sf = ts.createSourceFile(`${spec.name}.jaunt.ts`, body, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  // A body that does not parse would be printed as broken JavaScript that fails the whole module at load.
  const syntaxError = (sf as TS.SourceFile & { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics?.[0];
  if (syntaxError) {
    throw new JauntError(Codes.CorruptEntry, `it does not parse: ${ts.flattenDiagnosticMessageText(syntaxError.messageText, ' ')}`,
      specRange(spec), spec.name);
  }
  const shape = shapeOf(spec);
  const implementation = shape.implementationOf(ts, sf, spec.name);
  if (!implementation) {
    throw new JauntError(Codes.EntryLacksFunction, `it does not define ${shape.definition(spec.name)}`, specRange(spec), spec.name);
  }
  const kept = sf.statements.filter((s) => !ts.isExportDeclaration(s) && !ts.isExportAssignment(s) &&
    !(ts.isImportDeclaration(s) && namesSpecFile((s.moduleSpecifier as TS.StringLiteral).text, scope.sourceFile.fileName)));
  const ownDeclared = new Set(kept.flatMap((s) => [...topLevelNames(ts, s), ...topLevelTypeNames(ts, s)]));
  ownDeclared.delete(spec.name);
  const uses = nameUses(ts, sf, new Set([...ownDeclared, spec.name]));
  const words = new Set([...taken, ...allBoundNames(ts, sf), ...(body.match(/[A-Za-z_$][\w$]*/g) ?? [])]);
  const fresh = (base: string) => {
    const name = freshName(base, words);
    words.add(name);
    return name;
  };

  // The entry's own module-scope names that the file (or an earlier splice) already uses get fresh ones.
  const renames = new Map<string, string>();
  for (const name of ownDeclared) if (taken.has(name)) renames.set(name, fresh(name));
  // Values taken from the file's imports are imported again: tsc elides imports the file itself does not
  // use as values, and under CommonJS rewrites references to them only in the file's own nodes.
  const reimports: PlannedImport[] = [];
  const reimported = new Map<TS.Identifier, string>();
  const reimportedFrom = new Map<string, string>();
  for (const [name, ids] of uses.free) {
    const imp = scope.imports.get(name);
    if (!imp) continue;
    const local = fresh(name);
    reimportedFrom.set(local, name);
    reimports.push({ module: imp.module, bindings: [{ imported: imp.imported, local, typeOnly: false }] });
    ids.forEach((id) => reimported.set(id, local));
  }

  const edits: Edit[] = [];
  const commonJsEdits: Edit[] = [];
  const rename = (id: TS.Identifier, to: string, into: Edit[]): void => {
    const p = id.parent;
    const start = id.getStart(sf);
    const shorthand = ts.isShorthandPropertyAssignment(p) ||
      (ts.isBindingElement(p) && !p.propertyName && ts.isObjectBindingPattern(p.parent) && p.name === id);
    into.push({ pos: start, end: id.end, text: shorthand ? `${id.text}: ${to}` : to });
  };
  const visit = (n: TS.Node): void => {
    if (ts.isImportDeclaration(n)) return; // re-rendered from the plan
    if (ts.isIdentifier(n)) {
      const to = reimported.get(n) ?? (renames.has(n.text) && !isPropertyName(ts, n) ? renames.get(n.text) : undefined);
      if (to) rename(n, to, edits);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  for (const [name, ids] of uses.free) {
    if (scope.exportedVariables.has(name) && !scope.imports.has(name)) ids.forEach((id) => rename(id, `exports.${name}`, commonJsEdits));
  }

  const pieces: PlannedPiece[] = [];
  const imports: PlannedImport[] = [...reimports];
  const valueUse = (name: string) => (uses.free.get(name)?.length ?? 0) + (uses.own.get(name)?.length ?? 0) > 0;
  for (const stmt of kept) {
    if (ts.isImportDeclaration(stmt)) {
      imports.push(fromDeclaration(ts, stmt, (n) => renames.get(n) ?? n, valueUse));
      continue;
    }
    const isMain = shape.isMain(ts, stmt, spec.name);
    const modifierEdits: Edit[] = (ts.canHaveModifiers(stmt) ? ts.getModifiers(stmt) ?? [] : [])
      .filter((m) => exportish.has(m.kind)).map((m) => ({ pos: m.getStart(sf), end: m.end, text: '' }));
    const start = stmt.getStart(sf);
    const render = (extra: Edit[]) => {
      const text = applyEditsInRange(body, start, stmt.end, [...edits, ...extra, ...modifierEdits]).replace(/^\s+/, '');
      return isMain && spec.exported ? `export ${text}` : text;
    };
    const kind: PlannedPiece['kind'] = isMain ? (stmt === implementation ? 'implementation' : 'overload')
      : ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt) ? 'type' : 'value';
    pieces.push({ kind, text: render([]), commonJsText: render(commonJsEdits), bodyStart: start });
  }

  const after = kindOf(spec)?.afterImplementation?.(spec);
  if (after !== undefined) pieces.push({ kind: 'registration', text: after, commonJsText: after, bodyStart: body.length });
  const helpers = pieces.filter((p) => p.kind === 'value' || p.kind === 'type');
  const helperUses = new Set<string>();
  for (const [name, ids] of uses.free) {
    if (ids.some((id) => !insideMain(ts, shape, id, spec.name))) helperUses.add(name);
  }
  let helpersBefore = scope.firstBodyStatement;
  for (const name of helperUses) {
    const at = scope.initializedAt.get(name);
    if (at !== undefined && at + 1 > helpersBefore) helpersBefore = at + 1;
  }
  const declared = [...[...ownDeclared].map((n) => renames.get(n) ?? n), ...reimports.flatMap((i) => i.bindings.map((b) => b.local))];
  declared.forEach((n) => taken.add(n));
  return {
    spec, body, label, imports, helpers, main: pieces.filter((p) => p.kind === 'overload' || p.kind === 'implementation' || p.kind === 'registration'),
    helpersBefore, declared, helperUses, freeNames: new Set(uses.free.keys()), conformance: once(() => shape.conformance(ts, spec)),
    renamed: new Map([...[...renames].map(([own, to]) => [to, own] as const), ...reimportedFrom]),
  };
}

/**
 * Whether a reference sits inside the spec's own definition: the helpers need not provide it. (A class's
 * static initializers do run at load, in the spec's place; the checker of the shipped file sees those.)
 */
function insideMain(ts: typeof TS, shape: SpecShape, id: TS.Node, name: string): boolean {
  for (let n: TS.Node | undefined = id; n; n = n.parent) {
    if (n.parent && ts.isSourceFile(n.parent) && ts.isStatement(n) && shape.isMain(ts, n, name)) return true;
  }
  return false;
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
