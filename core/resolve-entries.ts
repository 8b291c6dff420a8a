import * as path from 'node:path';
import { lookupEntry, type EntryLookup } from '../cache/cache-store';
import { Codes, diagnostic, type JauntDiagnostic } from './errors';
import type { AnalyzedSpec } from './analyze-program';

/** A spec's cached implementation, ready to splice, or why there is none. */
export type Resolution =
  | { ok: true; body: string; entryPath: string; edited: boolean }
  | { ok: false; diagnostic: JauntDiagnostic };

export function specLocation(spec: AnalyzedSpec) {
  const decl = spec.found.declarations[0]!;
  const start = decl.getStart();
  return { file: spec.found.sourceFile.fileName, start, length: decl.getEnd() - start, line: spec.ir.line };
}

export function lookupSpec(cacheDir: string, spec: AnalyzedSpec): EntryLookup | undefined {
  return spec.hash === undefined ? undefined : lookupEntry(cacheDir, spec.ir.name, spec.hash);
}

/** Turns a cache lookup into something to splice, with the diagnostic a user needs when it fails. */
export function resolveLookup(spec: AnalyzedSpec, lookup: EntryLookup | undefined, projectDir: string, missingHint: string): Resolution {
  const where = specLocation(spec);
  const name = spec.ir.name;
  if (!lookup) {
    return { ok: false, diagnostic: diagnostic(Codes.DependencyCycle, `spec '${name}' cannot be implemented while it is on a dependency cycle`, where, name) };
  }
  const rel = path.relative(projectDir, lookup.path);
  switch (lookup.status) {
    case 'hit':
      return { ok: true, body: lookup.body, entryPath: lookup.path, edited: false };
    case 'edited':
      return { ok: true, body: lookup.body, entryPath: lookup.path, edited: true };
    case 'missing':
      return { ok: false, diagnostic: diagnostic(Codes.MissingEntry,
        `spec '${name}' (${spec.ir.file}:${spec.ir.line}) has no cached implementation for its current contract (hash ${spec.hash}). ${missingHint}`,
        where, name) };
    case 'corrupt':
      return { ok: false, diagnostic: diagnostic(Codes.CorruptEntry,
        `cache entry ${rel} for spec '${name}' is unusable (${lookup.reason}); delete it and run \`jaunt build\``, where, name) };
  }
}

export function handEditedWarning(spec: AnalyzedSpec, entryPath: string, projectDir: string): JauntDiagnostic {
  return diagnostic(Codes.HandEditedEntry,
    `cache entry ${path.relative(projectDir, entryPath)} for spec '${spec.ir.name}' was edited by hand: using it as is (Jaunt never overwrites it without --force)`,
    specLocation(spec), spec.ir.name, 'warning');
}
