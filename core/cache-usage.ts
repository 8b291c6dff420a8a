import * as fs from 'node:fs';
import { listBatteryNames, listEntryNames, readEntryFile } from '../cache/cache-store';
import { inspectFile, readBounded } from '../cache/read-bounded';
import { listTempFiles, removeLeftoverTemps, type TempFile } from '../cache/temp-files';
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
  /** A battery of held-out tests (`<name>.<hash>.battery.ts`), not an implementation. */
  battery?: boolean;
  corrupt: boolean;
  bytes: number;
}

/** A file named like an entry that is not one: gc reports it and never deletes it. */
export interface NotAnEntry extends CacheFile {
  /** Why: `no @jaunt-entry header`, `is a named pipe (FIFO), not a regular file`, ... */
  detail: string;
}

export interface CacheUsage {
  /** Entry files in the cache folder (files with a Jaunt header). */
  entries: number;
  /** Entries some current spec uses. */
  used: number;
  orphans: OrphanEntry[];
  /** Entries of specs that cannot be hashed right now (malformed, on a cycle): never orphans. */
  protected: (CacheFile & { detail: string })[];
  notEntries: NotAnEntry[];
  /** Temp files of entry writes; the leftovers are removed by `gc --delete`. */
  temps: TempFile[];
}

/** Whether a file named like a battery is one: a `@jaunt-battery` header naming the same spec and hash. */
function batteryRead(cacheDir: string, file: string, name: string, hash: string): { ok: true; bytes: number } | { ok: false; detail: string } {
  const read = readBounded(file, { within: cacheDir });
  if (!read.ok) return { ok: false, detail: read.detail };
  const header = /\/\* @jaunt-battery\b([\s\S]*?)\*\//.exec(read.text)?.[1] ?? '';
  const field = (k: string) => new RegExp(`^\\s*\\*\\s*${k}:\\s*(\\S+)`, 'm').exec(header)?.[1];
  if (!header) return { ok: false, detail: 'no @jaunt-battery header' };
  if (field('spec')?.normalize('NFC') !== name || field('hash') !== hash) return { ok: false, detail: `header does not name ${name} ${hash}` };
  return { ok: true, bytes: read.bytes };
}

/**
 * Which cache entries no current spec uses. An entry belongs to a spec by name and hash; entries of a
 * spec that is malformed or on a cycle at the moment are protected, since fixing the spec may bring
 * their hash back.
 */
export function cacheUsage(analysis: ProgramAnalysis, cacheDir: string): CacheUsage {
  // File names may come back decomposed (macOS): compare names in NFC.
  const nfc = (name: string) => name.normalize('NFC');
  const used = new Set(analysis.specs.flatMap((s) => (s.hash === undefined ? [] : [`${nfc(s.ir.name)}.${s.hash}`])));
  const current = new Map<string, string[]>();
  for (const s of analysis.specs) if (s.hash !== undefined) current.set(nfc(s.ir.name), [...(current.get(nfc(s.ir.name)) ?? []), s.hash]);
  const unhashable = new Set([
    ...analysis.specs.filter((s) => s.hash === undefined).map((s) => s.ir.name),
    ...analysis.invalid.map((s) => s.name),
    ...analysis.diagnostics.flatMap((d) => (d.severity === 'error' && d.spec !== undefined ? [d.spec] : [])),
  ].map(nfc));
  const usage: CacheUsage = { entries: 0, used: 0, orphans: [], protected: [], notEntries: [], temps: listTempFiles(cacheDir) };
  /** An entry or battery belongs to a spec by name and hash: in use, protected, or an orphan described by `orphan`. */
  const count = (f: CacheFile, orphan: (hashes: string[] | undefined) => Omit<OrphanEntry, keyof CacheFile | 'reason'>): void => {
    usage.entries++;
    if (used.has(`${f.name}.${f.hash}`)) {
      usage.used++;
      return;
    }
    if (unhashable.has(f.name)) {
      usage.protected.push({ ...f, detail: `spec '${f.name}' cannot be hashed right now (malformed or on a cycle)` });
      return;
    }
    const hashes = current.get(f.name);
    usage.orphans.push({ ...f, reason: hashes ? 'old-hash' : 'spec-removed', ...orphan(hashes) });
  };
  for (const f of listEntryNames(cacheDir)) {
    // Only a file whose Jaunt header parses is an entry: anything else named like one is not gc's to delete.
    const read = readEntryFile(cacheDir, f.path, f.name, f.hash);
    if (!read.isEntry) {
      const inspected = inspectFile(f.path, { within: cacheDir });
      const detail = read.lookup.status === 'corrupt' ? read.lookup.reason : inspected.ok ? 'not a Jaunt entry' : inspected.detail;
      usage.notEntries.push({ ...f, detail });
      continue;
    }
    const status = read.lookup.status;
    count(f, (hashes) => ({
      detail: hashes ? `earlier contract of ${f.name} (now ${hashes.join(', ')})` : `no spec named '${f.name}'`,
      edited: status === 'edited', corrupt: status === 'corrupt', bytes: read.bytes,
    }));
  }
  // Batteries belong to a spec by name and hash exactly as entries do; they count as cache entries.
  for (const f of listBatteryNames(cacheDir)) {
    const read = batteryRead(cacheDir, f.path, f.name, f.hash);
    if (!read.ok) {
      usage.notEntries.push({ ...f, detail: read.detail });
      continue;
    }
    count(f, (hashes) => ({
      battery: true,
      detail: `battery of ${hashes ? `an earlier contract of ${f.name} (now ${hashes.join(', ')})` : `a removed spec '${f.name}'`}`,
      edited: false, corrupt: false, bytes: read.bytes,
    }));
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

/** `gc --delete`: removes the temp files of interrupted writes (never one a live writer may still rename). */
export function deleteLeftoverTemps(usage: CacheUsage): Set<TempFile> {
  return removeLeftoverTemps(usage.temps);
}
