import * as fs from 'node:fs';
import { listEntries, lookupEntry } from '../cache/cache-store';
import type { ProgramAnalysis } from './analyze-program';

export interface CacheFile {
  path: string;
  name: string;
  hash: string;
}

export interface OrphanEntry extends CacheFile {
  /** `spec-removed`: no spec has this name now; `old-hash`: the spec exists with another contract. */
  reason: 'spec-removed' | 'old-hash';
  /** Human words for the reason. */
  detail: string;
  /** A human edited it: gc keeps it unless forced. */
  edited: boolean;
  corrupt: boolean;
  bytes: number;
}

export interface CacheUsage {
  /** Entry files in the cache folder. */
  entries: number;
  /** Entries some current spec uses. */
  used: number;
  orphans: OrphanEntry[];
  /** Entries of specs that cannot be hashed right now (malformed, on a cycle): never orphans. */
  protected: (CacheFile & { detail: string })[];
}

/**
 * Which cache entries no current spec uses. An entry belongs to a spec by name and hash; entries of a
 * spec that is malformed or on a cycle at the moment are protected, since fixing the spec may bring
 * their hash back.
 */
export function cacheUsage(analysis: ProgramAnalysis, cacheDir: string): CacheUsage {
  const used = new Set(analysis.specs.flatMap((s) => (s.hash === undefined ? [] : [`${s.ir.name}.${s.hash}`])));
  const current = new Map<string, string[]>();
  for (const s of analysis.specs) if (s.hash !== undefined) current.set(s.ir.name, [...(current.get(s.ir.name) ?? []), s.hash]);
  const unhashable = new Set([
    ...analysis.specs.filter((s) => s.hash === undefined).map((s) => s.ir.name),
    ...analysis.invalid.map((s) => s.name),
    ...analysis.diagnostics.flatMap((d) => (d.severity === 'error' && d.spec !== undefined ? [d.spec] : [])),
  ]);
  const files = listEntries(cacheDir);
  const usage: CacheUsage = { entries: files.length, used: 0, orphans: [], protected: [] };
  for (const f of files) {
    if (used.has(`${f.name}.${f.hash}`)) {
      usage.used++;
      continue;
    }
    if (unhashable.has(f.name)) {
      usage.protected.push({ ...f, detail: `spec '${f.name}' cannot be hashed right now (malformed or on a cycle)` });
      continue;
    }
    const status = lookupEntry(cacheDir, f.name, f.hash).status;
    const hashes = current.get(f.name);
    let bytes = 0;
    try {
      bytes = fs.statSync(f.path).size;
    } catch {
      // Gone meanwhile: its size does not matter.
    }
    usage.orphans.push({
      ...f,
      reason: hashes ? 'old-hash' : 'spec-removed',
      detail: hashes ? `earlier contract of ${f.name} (now ${hashes.join(', ')})` : `no spec named '${f.name}'`,
      edited: status === 'edited', corrupt: status === 'corrupt', bytes,
    });
  }
  return usage;
}

/**
 * `gc --delete`: removes the unused entries, keeping hand-edited ones unless `force`. Refuses to empty
 * the cache of a project with no specs at all (usually the wrong tsconfig) unless `force`.
 */
export function deleteOrphans(analysis: ProgramAnalysis, usage: CacheUsage, force: boolean): { deleted: Set<OrphanEntry> } | { refused: string } {
  const noSpecs = analysis.specs.length === 0 && analysis.invalid.length === 0;
  if (noSpecs && usage.orphans.length > 0 && !force) return { refused: 'the project has no @jaunt specs' };
  const deleted = new Set<OrphanEntry>();
  for (const o of usage.orphans) {
    if (o.edited && !force) continue;
    fs.rmSync(o.path, { force: true });
    deleted.add(o);
  }
  return { deleted };
}
