import * as path from 'node:path';
import type * as TS from 'typescript';
import { Codes, diagnostic, type JauntDiagnostic } from './errors';
import { findSpecsInFile, type FoundSpec } from '../spec/find-specs';
import { collectReferencedTypes, isProjectFile, type TypeSource } from '../spec/collect-types';
import { resolveDeps, type ResolvedDeps, type SpecIndex } from '../spec/resolve-deps';
import { orderGraph } from '../spec/spec-graph';
import { specHash, specInputs, type SpecInputs } from '../spec/spec-hash';
import { specId, type SpecIR } from '../spec/spec-ir';
import { applyKindDeps } from '../spec-kinds/kind-deps';
import { shapeOf } from '../spec-kinds/shapes';

/** A spec with its IR and hash: what the cache, the generator and the splice work from. */
export interface AnalyzedSpec {
  id: string;
  found: FoundSpec;
  ir: SpecIR;
  typeSources: TypeSource[];
  /** Undefined when the spec sits on a dependency cycle (or behind one): it cannot be keyed. */
  hash: string | undefined;
  /** Fingerprints of what the hash covers (recorded in entries, so `status` can say what changed). */
  inputs: SpecInputs | undefined;
}

export interface ProgramAnalysis {
  projectDir: string;
  specs: AnalyzedSpec[];
  byId: Map<string, AnalyzedSpec>;
  /** Malformed specs: reported, and emitted as functions that throw. */
  invalid: FoundSpec[];
  diagnostics: JauntDiagnostic[];
  /** Absolute file name → its specs (valid and invalid), for the per-file transformer. */
  specsInFile(fileName: string): { valid: AnalyzedSpec[]; invalid: FoundSpec[] };
}

export function relativePath(projectDir: string, fileName: string): string {
  return path.relative(projectDir, fileName).split(path.sep).join('/');
}

/** Removes the first inferred edge along a cycle ([a, b, a]: a depends on b); false when all are explicit. */
function dropInferredEdge(cycle: string[], byId: Map<string, AnalyzedSpec>, inferred: Map<string, Set<string>>): boolean {
  for (let i = 0; i + 1 < cycle.length; i++) {
    const from = cycle[i]!;
    const to = cycle[i + 1]!;
    if (!inferred.get(from)?.has(to)) continue;
    const spec = byId.get(from)!;
    spec.ir.deps = spec.ir.deps.filter((d) => d !== to);
    inferred.get(from)!.delete(to);
    return true;
  }
  return false;
}

/**
 * Specs that must not be generated although their own shape is fine: a `@jauntDeps` name that resolves
 * to no spec (or to several), or an explicit dependency (`@jauntDeps`, `{@link}`) on a spec that is
 * malformed or itself blocked. Their key would be a guess, and the request a waste: each is reported
 * and emitted as a function that throws, like a malformed spec.
 */
function blockUngenerable(
  found: readonly FoundSpec[], invalid: readonly FoundSpec[], resolved: ReadonlyMap<FoundSpec, ResolvedDeps>,
  diagnostics: JauntDiagnostic[], rel: (f: string) => string,
): Set<FoundSpec> {
  const blocked = new Set(found.filter((s) => resolved.get(s)!.unresolved));
  const broken = new Set(invalid);
  const reasonOf = (d: FoundSpec): string => {
    const own = diagnostics.find((x) => x.severity === 'error' && x.spec === d.name && x.location?.file === d.sourceFile.fileName);
    return own ? `JAUNT${own.code}` : 'it is malformed';
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const s of found) {
      if (blocked.has(s)) continue;
      const r = resolved.get(s)!;
      const dep = r.deps.find((d) => !r.inferred.has(d) && (broken.has(d) || blocked.has(d)));
      if (!dep) continue;
      blocked.add(s);
      changed = true;
      diagnostics.push(diagnostic(Codes.DependencyNotGenerable,
        `spec '${s.name}' depends on spec '${dep.name}' (${rel(dep.sourceFile.fileName)}:${dep.line}), which cannot be generated (${reasonOf(dep)}): fix '${dep.name}' first; '${s.name}' is not generated until then`,
        { file: s.sourceFile.fileName, line: s.line, start: s.declarations[0]!.getStart() }, s.name));
    }
  }
  return blocked;
}

/** Finds every spec of the program, builds its IR, resolves the DAG and computes the hashes. */
export function analyzeProgram(ts: typeof TS, program: TS.Program, projectDir: string): ProgramAnalysis {
  const rel = (f: string) => relativePath(projectDir, f);
  const diagnostics: JauntDiagnostic[] = [];
  const found: FoundSpec[] = [];
  const invalid: FoundSpec[] = [];
  const roots = new Set(program.getRootFileNames());
  for (const sf of program.getSourceFiles()) {
    if (!isProjectFile(program, sf)) continue;
    // A .d.ts reached through an import or a project reference is another project's output, where
    // emitted specs keep their JSDoc: only the project's own declaration files can hold a misplaced spec.
    if (sf.isDeclarationFile && !roots.has(sf.fileName)) continue;
    const scan = findSpecsInFile(ts, sf);
    found.push(...scan.specs);
    invalid.push(...scan.invalid);
    diagnostics.push(...scan.diagnostics);
  }

  // Malformed specs are indexed too: a dependency on one is reported as such, not as an unknown name.
  const all = [...found, ...invalid];
  const ids = new Map(all.map((s) => [s, specId(rel(s.sourceFile.fileName), s.name)]));
  const byDecl = new Map<TS.Declaration, FoundSpec>();
  const byName = new Map<string, FoundSpec[]>();
  for (const s of all) {
    for (const d of s.declarations) byDecl.set(d, s);
    byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  }
  const index: SpecIndex = {
    idOf: (s) => ids.get(s)!,
    byName: (n) => byName.get(n) ?? [],
    byDeclaration: (d) => byDecl.get(d),
    names: () => byName.keys(),
  };

  const checker = program.getTypeChecker();
  const resolved = new Map(found.map((s) => [s, resolveDeps(ts, checker, s, index)]));
  for (const r of resolved.values()) diagnostics.push(...r.diagnostics);
  applyKindDeps(resolved, diagnostics);
  const blocked = blockUngenerable(found, invalid, resolved, diagnostics, rel);
  invalid.push(...found.filter((s) => blocked.has(s)));
  const usable = (s: FoundSpec) => resolved.has(s) && !blocked.has(s);

  const printer = ts.createPrinter({ removeComments: true });
  // Edges found only as names in prose (not @jauntDeps or {@link}): spec id → dependency ids.
  const inferred = new Map<string, Set<string>>();
  const specs: AnalyzedSpec[] = found.filter(usable).map((s) => {
    const r = resolved.get(s)!;
    // A guessed edge to a spec that cannot be generated is dropped; explicit ones blocked `s` above.
    const deps = r.deps.filter(usable);
    inferred.set(index.idOf(s), new Set([...r.inferred].filter(usable).map((d) => index.idOf(d))));
    const shape = shapeOf(s);
    // A class's members name the class itself: its own declaration is the spec, not a type it uses.
    const typeSources = collectReferencedTypes(ts, program, shape.typeRoots(ts, s), rel, s.declarations);
    const members = shape.members?.(ts, printer, s);
    const ir: SpecIR = {
      name: s.name,
      file: rel(s.sourceFile.fileName),
      line: s.line,
      exported: s.exported,
      signatures: shape.signatures(ts, printer, s),
      doc: s.jsdoc.normalized,
      description: s.jsdoc.description,
      tags: s.jsdoc.tags,
      types: typeSources.map((t) => t.printed),
      deps: deps.map((d) => index.idOf(d)).sort(),
      ...(members ? { members } : {}),
    };
    return { id: index.idOf(s), found: s, ir, typeSources, hash: undefined, inputs: undefined };
  });
  const byId = new Map(specs.map((s) => [s.id, s]));

  let graph = orderGraph(specs.map((s) => ({ id: s.id, deps: s.ir.deps })));
  // A name in prose is a guess ("the inverse of decode"): an inferred edge that closes a cycle is
  // dropped; only explicit edges make a cycle an error.
  while (graph.cycles.some((cycle) => dropInferredEdge(cycle, byId, inferred))) {
    graph = orderGraph(specs.map((s) => ({ id: s.id, deps: s.ir.deps })));
  }
  for (const cycle of graph.cycles) {
    const first = byId.get(cycle[0]!)!;
    diagnostics.push(diagnostic(Codes.DependencyCycle,
      `specs depend on each other in a cycle: ${cycle.map((id) => byId.get(id)!.ir.name).join(' -> ')}; break it by removing one @jauntDeps entry or {@link}`,
      { file: first.found.sourceFile.fileName, line: first.ir.line, start: first.found.declarations[0]!.getStart() }, first.ir.name));
  }
  for (const id of graph.order) {
    const spec = byId.get(id)!;
    const depHashes = spec.ir.deps.map((d) => {
      const dep = byId.get(d)!;
      return [dep.ir.name, dep.hash!] as const;
    });
    spec.hash = specHash(spec.ir, depHashes);
    spec.inputs = specInputs(spec.ir, depHashes);
  }

  const files = new Map<string, { valid: AnalyzedSpec[]; invalid: FoundSpec[] }>();
  const entry = (f: string) => files.get(f) ?? files.set(f, { valid: [], invalid: [] }).get(f)!;
  for (const s of specs) entry(s.found.sourceFile.fileName).valid.push(s);
  for (const s of invalid) entry(s.sourceFile.fileName).invalid.push(s);
  return {
    projectDir, specs, byId, invalid, diagnostics,
    specsInFile: (f) => files.get(f) ?? { valid: [], invalid: [] },
  };
}
