import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { listEntries } from '../cache/cache-store';
import { findSpecsInFile } from '../spec/find-specs';

/** Cache entries as read at one moment: entry file name → its text. */
export type EntryTexts = ReadonlyMap<string, string>;

// Jest asks for a key every time a test file requires a module: parse each file's text once per process.
const namesByFile = new Map<string, { text: string; names: ReadonlySet<string> }>();

const NO_NAMES: ReadonlySet<string> = new Set();

/** Names of the specs a file declares, found by the same scan the analysis uses (a parse, no program). */
export function specNames(ts: typeof TS, fileName: string, text: string): ReadonlySet<string> {
  if (!text.includes('@jaunt')) return NO_NAMES;
  const known = namesByFile.get(fileName);
  if (known?.text === text) return known.names;
  const scan = findSpecsInFile(ts, ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true));
  // Invalid specs too: they have no entry today, but one may appear when the spec is fixed elsewhere.
  const names = new Set([...scan.specs, ...scan.invalid].map((s) => s.name));
  namesByFile.set(fileName, { text, names });
  return names;
}

/** The entries of the named specs (of every spec when `names` is undefined), read now. */
export function readEntries(cacheDir: string, names?: ReadonlySet<string>): EntryTexts {
  const out = new Map<string, string>();
  for (const entry of listEntries(cacheDir)) {
    if (names && !names.has(entry.name)) continue;
    try {
      out.set(path.basename(entry.path), fs.readFileSync(entry.path, 'utf8'));
    } catch (e) {
      // The splice reports an unreadable entry; the digest only has to differ from the readable one's.
      out.set(path.basename(entry.path), `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  return out;
}

const specOf = (entryName: string): string => entryName.slice(0, entryName.indexOf('.'));

/** A digest of the named specs' entries among `entries`: names and full texts, in a fixed order. */
export function entriesDigest(cacheDir: string, entries: EntryTexts, names: ReadonlySet<string>): string {
  const hash = createHash('sha1').update(cacheDir);
  for (const name of [...entries.keys()].filter((n) => names.has(specOf(n))).sort()) {
    hash.update('\0').update(name).update('\0').update(entries.get(name)!);
  }
  return hash.digest('hex');
}

/**
 * What a file's emitted JS takes from the cache folder besides its own text: every entry of every spec the
 * file declares, whatever its hash, read now. A spec's hash also depends on other files (referenced types,
 * dependencies), which ts-jest's key does not follow under isolatedModules; taking all hashes makes an
 * entry that appears or disappears for any of them change the key. Undefined when the file declares no
 * spec, so that ts-jest's key is kept as is and entry edits never recompile it.
 */
export function specEntriesDigest(ts: typeof TS, fileName: string, text: string, cacheDir: string): string | undefined {
  const names = specNames(ts, fileName, text);
  return names.size === 0 ? undefined : entriesDigest(cacheDir, readEntries(cacheDir, names), names);
}
