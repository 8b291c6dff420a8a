import * as fs from 'node:fs';
import * as path from 'node:path';
import { listEntries } from '../cache/cache-store';
import { parseEntry } from '../cache/entry-format';
import { describeChange, parseInputs } from '../spec/spec-hash';
import type { AnalyzedSpec } from './analyze-program';

interface OldEntry {
  path: string;
  created: string;
  file: string;
  inputs: string | undefined;
}

/** The entries of the cache by spec name, read once, to find what an earlier contract was given. */
export function previousEntries(cacheDir: string): { find(spec: AnalyzedSpec): OldEntry | undefined } {
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
    byName.set(e.name, [...(byName.get(e.name) ?? []), { path: e.path, created: parsed.meta.created, file: parsed.meta.file, inputs: parsed.meta.inputs }]);
  }
  return {
    /** The newest earlier entry, preferring one written for the same file (two files may share a name). */
    find(spec) {
      const current = `${spec.ir.name}.${spec.hash}.ts`;
      const older = (byName.get(spec.ir.name) ?? []).filter((e) => path.basename(e.path) !== current);
      const sameFile = older.filter((e) => e.file === spec.ir.file);
      const pool = sameFile.length > 0 ? sameFile : older;
      // `created` is ISO 8601, so text order is time order; git checkouts reset mtimes, so it beats them.
      return [...pool].sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0))[0];
    },
  };
}

/** What changed in the contract since the entry was written, in words. */
export function staleReasons(spec: AnalyzedSpec, previous: OldEntry): string[] {
  const before = previous.inputs === undefined ? undefined : parseInputs(previous.inputs);
  if (!before || !spec.inputs) return ['contract'];
  const change = describeChange(before, spec.inputs);
  return change.length > 0 ? change : ['hash format'];
}

/**
 * Why an entry that checked once no longer works where it ships, in the user's words where the compiler's
 * error says what went missing: `src/a.ts no longer provides createHash`.
 */
export function verificationReasons(errors: readonly string[], file: string): string[] {
  const reasons = errors.map((e) => {
    const name = /TS2304: Cannot find name '([^']+)'/.exec(e)?.[1];
    if (name) return `${file} no longer provides ${name}`;
    const member = /TS(?:2305|2724): (?:Module|'[^']*') ("[^"]+"|'[^']+') has no exported member (?:named )?'([^']+)'/.exec(e);
    if (member) return `${member[1]!.slice(1, -1)} no longer provides ${member[2]}`;
    return e;
  });
  return [...new Set(reasons)];
}
