import * as path from 'node:path';
import * as fs from 'node:fs';
import { listEntries, lookupEntry } from '../cache/cache-store';
import { parseEntry } from '../cache/entry-format';
import { relativePath, type AnalyzedSpec, type ProgramAnalysis } from '../core/analyze-program';
import { formatCode } from '../core/errors';
import { describeChange, parseInputs } from '../spec/spec-hash';
import { specId } from '../spec/spec-ir';

export type SpecState = 'fresh' | 'stale' | 'missing' | 'edited' | 'corrupt' | 'invalid' | 'cycle';
export const SPEC_STATES: readonly SpecState[] = ['fresh', 'stale', 'missing', 'edited', 'corrupt', 'invalid', 'cycle'];

/** One spec as `status`, `check` and `build` see it. */
export interface SpecStatus {
  id: string;
  name: string;
  /** Absolute file of the spec. */
  fileName: string;
  /** Project-relative file, with `/`. */
  file: string;
  line: number;
  hash: string | undefined;
  status: SpecState;
  /** What changed (stale), what is wrong (corrupt, invalid), or nothing. */
  reasons: string[];
  /** Absolute path of the entry for the current hash, when that file exists. */
  entry: string | undefined;
  /** Stale only: the newest entry written for an earlier contract of this spec. */
  previousEntry: string | undefined;
  /** Undefined for malformed specs. */
  spec: AnalyzedSpec | undefined;
}

interface OldEntry {
  path: string;
  created: string;
  file: string;
  inputs: string | undefined;
}

/** The entries of each spec name, read once. */
function entriesByName(cacheDir: string): Map<string, OldEntry[]> {
  const byName = new Map<string, OldEntry[]>();
  for (const e of listEntries(cacheDir)) {
    let text: string;
    try {
      text = fs.readFileSync(e.path, 'utf8');
    } catch {
      continue;
    }
    const parsed = parseEntry(text);
    if (!parsed.ok) continue;
    const list = byName.get(e.name) ?? [];
    list.push({ path: e.path, created: parsed.meta.created, file: parsed.meta.file, inputs: parsed.meta.inputs });
    byName.set(e.name, list);
  }
  return byName;
}

/** The newest earlier entry, preferring one written for the same file (two files may share a name). */
function previousOf(spec: AnalyzedSpec, entries: OldEntry[]): OldEntry | undefined {
  const current = `${spec.ir.name}.${spec.hash}.ts`;
  const older = entries.filter((e) => path.basename(e.path) !== current);
  const sameFile = older.filter((e) => e.file === spec.ir.file);
  const pool = sameFile.length > 0 ? sameFile : older;
  // `created` is ISO 8601, so text order is time order; git checkouts reset mtimes, so it beats them.
  return [...pool].sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0))[0];
}

function staleReasons(spec: AnalyzedSpec, previous: OldEntry): string[] {
  const before = previous.inputs === undefined ? undefined : parseInputs(previous.inputs);
  if (!before || !spec.inputs) return ['contract'];
  const change = describeChange(before, spec.inputs);
  return change.length > 0 ? change : ['hash format'];
}

function base(spec: AnalyzedSpec): Omit<SpecStatus, 'status' | 'reasons' | 'entry' | 'previousEntry'> {
  return {
    id: spec.id, name: spec.ir.name, fileName: spec.found.sourceFile.fileName, file: spec.ir.file, line: spec.ir.line,
    hash: spec.hash, spec,
  };
}

/** Looks every spec (valid or not) up in the cache and says why each one is not fresh. */
export function specStatuses(analysis: ProgramAnalysis, cacheDir: string): SpecStatus[] {
  const entries = entriesByName(cacheDir);
  const out: SpecStatus[] = analysis.specs.map((spec): SpecStatus => {
    const common = { ...base(spec), entry: undefined, previousEntry: undefined };
    if (spec.hash === undefined) return { ...common, status: 'cycle', reasons: ['on or behind a dependency cycle'] };
    const lookup = lookupEntry(cacheDir, spec.ir.name, spec.hash);
    switch (lookup.status) {
      case 'hit':
        return { ...common, status: 'fresh', reasons: [], entry: lookup.path };
      case 'edited':
        return { ...common, status: 'edited', reasons: ['entry edited by hand'], entry: lookup.path };
      case 'corrupt':
        return { ...common, status: 'corrupt', reasons: [lookup.reason], entry: lookup.path };
      case 'missing': {
        const previous = previousOf(spec, entries.get(spec.ir.name) ?? []);
        return previous
          ? { ...common, status: 'stale', reasons: staleReasons(spec, previous), previousEntry: previous.path }
          : { ...common, status: 'missing', reasons: [] };
      }
    }
  });
  for (const found of analysis.invalid) {
    const fileName = found.sourceFile.fileName;
    const file = relativePath(analysis.projectDir, fileName);
    const problems = analysis.diagnostics.filter((d) => d.severity === 'error' && d.spec === found.name && d.location?.file === fileName);
    out.push({
      id: specId(file, found.name), name: found.name, fileName, file, line: found.line, hash: undefined,
      status: 'invalid', reasons: problems.map((d) => `${formatCode(d.code)}: ${d.message}`), entry: undefined, previousEntry: undefined, spec: undefined,
    });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

export function countStates(statuses: readonly SpecStatus[]): Record<SpecState, number> & { total: number } {
  const counts = Object.fromEntries(SPEC_STATES.map((s) => [s, 0])) as Record<SpecState, number>;
  for (const s of statuses) counts[s.status]++;
  return { ...counts, total: statuses.length };
}

/** The words after a status: `JSDoc, dependency slugify changed`, `empty body`; empty for fresh. */
export function statusDetail(s: SpecStatus): string {
  switch (s.status) {
    case 'fresh':
      return '';
    case 'stale':
      return `${s.reasons.join(', ')} changed`;
    case 'missing':
      return 'never generated';
    case 'edited':
      return 'hand-edited entry, used as is';
    case 'invalid':
      return s.reasons.map((r) => r.replace(/^(JAUNT\d+): .*$/, '$1')).join(', ') || 'malformed';
    default:
      return s.reasons.join('; ');
  }
}
