import type * as TS from 'typescript';
import { Codes, diagnostic, type JauntDiagnostic } from '../core/errors';
import type { FoundSpec } from './find-specs';
import { closestNames, orList } from './near-names';

/** The tag that names a spec's dependencies explicitly: `@jauntDeps a, b`. */
export const DEPS_TAG = 'jauntDeps';

/** Every spec of the program, malformed ones included: a name that finds one of those is not unknown. */
export interface SpecIndex {
  idOf(spec: FoundSpec): string;
  byName(name: string): FoundSpec[];
  byDeclaration(decl: TS.Declaration): FoundSpec | undefined;
  /** Every spec name, for "did you mean". */
  names(): Iterable<string>;
}

const LINK = /\{@link(?:code|plain)?\s+([A-Za-z_$][\w$]*)/g;
const WORD = /[A-Za-z_$][\w$]*/g;

/** A name as seen from the spec's file: a spec of the same file, or an import that resolves to a spec. */
function resolveInScope(ts: typeof TS, checker: TS.TypeChecker, spec: FoundSpec, name: string, index: SpecIndex): FoundSpec | undefined {
  const local = index.byName(name).find((s) => s.sourceFile === spec.sourceFile);
  if (local) return local;
  for (const stmt of spec.sourceFile.statements) {
    if (!ts.isImportDeclaration(stmt) || !stmt.importClause) continue;
    const bindings = stmt.importClause.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const el of bindings.elements) {
      if (el.name.text !== name) continue;
      const symbol = checker.getSymbolAtLocation(el.name);
      const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      for (const decl of target?.declarations ?? []) {
        const found = index.byDeclaration(decl);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** Where `name` is written after `@jauntDeps` in the spec's JSDoc, so the error points at the word to fix. */
function depsNameLocation(spec: FoundSpec, name: string) {
  const { raw, pos } = spec.jsdoc;
  const tag = raw.indexOf(`@${DEPS_TAG}`);
  const found = tag < 0 ? -1 : raw.indexOf(name, tag + DEPS_TAG.length + 1);
  const start = pos + (found < 0 ? 0 : found);
  const line = spec.sourceFile.getLineAndCharacterOfPosition(start).line + 1;
  return found < 0 ? { file: spec.sourceFile.fileName, line: spec.line, start: pos, length: raw.length }
    : { file: spec.sourceFile.fileName, line, start, length: name.length };
}

export interface ResolvedDeps {
  /** Dependencies found, malformed specs included: the caller decides what an edge to one of those means. */
  deps: FoundSpec[];
  /** The subset of `deps` guessed from names in prose. */
  inferred: Set<FoundSpec>;
  /** A `@jauntDeps` name that resolves to no spec, or to several: the spec's key would be a guess. */
  unresolved: boolean;
  diagnostics: JauntDiagnostic[];
}

/**
 * A spec's dependencies: the `@jauntDeps` tag (strict: an unknown name is an error), `{@link name}`, and
 * names in the contract that resolve to specs in scope (both lenient: they may name anything).
 */
export function resolveDeps(ts: typeof TS, checker: TS.TypeChecker, spec: FoundSpec, index: SpecIndex): ResolvedDeps {
  const deps = new Set<FoundSpec>();
  const inferred = new Set<FoundSpec>();
  const diagnostics: JauntDiagnostic[] = [];
  let unresolved = false;
  const notGenerated = `'${spec.name}' is not generated until this is fixed`;

  // A class's members carry contracts of their own: their links and names count as the class's.
  const docs = [spec.jsdoc, ...(spec.memberDocs ?? [])];
  for (const tag of docs.flatMap((d) => d.tags).filter((t) => t.name === DEPS_TAG)) {
    for (const name of tag.text.split(/[\s,]+/).filter(Boolean)) {
      const inScope = resolveInScope(ts, checker, spec, name, index);
      const candidates = inScope ? [inScope] : index.byName(name);
      if (candidates.length === 1) {
        deps.add(candidates[0]!);
        continue;
      }
      unresolved = true;
      if (candidates.length === 0) {
        const near = closestNames(name, [...index.names()].filter((n) => n !== spec.name));
        const hint = near.length > 0 ? ` Did you mean ${orList(near)}?` : ' List only the names of @jaunt specs, or remove it.';
        diagnostics.push(diagnostic(Codes.UnknownDependency,
          `spec '${spec.name}' lists unknown dependency '${name}' in @${DEPS_TAG}: no @jaunt spec has that name.${hint} ${notGenerated}`,
          depsNameLocation(spec, name), spec.name));
      } else {
        const files = candidates.map((c) => `${index.idOf(c).split('#')[0]}:${c.line}`).join(', ');
        diagnostics.push(diagnostic(Codes.AmbiguousDependency,
          `spec '${spec.name}' lists dependency '${name}', which names specs in ${candidates.length} files (${files}): import the one you mean into this file. ${notGenerated}`,
          depsNameLocation(spec, name), spec.name));
      }
    }
  }
  const links = new Set(docs.flatMap((d) => [...d.normalized.matchAll(LINK)].map((m) => m[1]!)));
  const words = new Set(docs.flatMap((d) => [...d.description.matchAll(WORD)].map((m) => m[0])));
  for (const name of new Set([...links, ...words])) {
    if (name === spec.name) continue;
    const found = resolveInScope(ts, checker, spec, name, index);
    if (!found || deps.has(found)) continue;
    deps.add(found);
    if (!links.has(name)) inferred.add(found);
  }
  deps.delete(spec);
  inferred.delete(spec);
  return { deps: [...deps], inferred, unresolved, diagnostics };
}
