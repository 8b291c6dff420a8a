import * as fs from 'node:fs';
import * as path from 'node:path';
import { Codes, JauntError } from '../core/errors';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { bodyChecksum, parseEntry, renderEntry, type EntryMeta } from './entry-format';
import { inspectFile, kib, MAX_FILE_BYTES, readBounded } from './read-bounded';

/**
 * One file per spec hash, named so that a lookup needs no index (no merge conflicts between branches):
 * `<cacheDir>/<spec name>.<hash>.ts`.
 */
export function entryPath(cacheDir: string, name: string, hash: string): string {
  return path.join(cacheDir, `${name}.${hash}.ts`);
}

/**
 * Spec names are JS identifiers (Unicode ID_Start/ID_Continue, `$`, `_`, ZWNJ/ZWJ), so `función.<hash>.ts`
 * and `数え.<hash>.ts` are entries. Names are compared in NFC: macOS's HFS+ lists file names decomposed.
 */
const ENTRY_NAME = /^([\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*)\.([0-9a-f]{16})\.ts$/u;

/** The spec name and hash a file name stands for, or undefined when it is not named like an entry. */
export function parseEntryName(fileName: string): { name: string; hash: string } | undefined {
  const m = ENTRY_NAME.exec(fileName.normalize('NFC'));
  return m ? { name: m[1]!, hash: m[2]! } : undefined;
}

/**
 * A spec's battery of held-out tests (`jaunt build --tests`) lives beside its entry, keyed by the same
 * contract hash: `<cacheDir>/<spec name>.<hash>.battery.ts`. Never named like an entry.
 */
export function batteryPath(cacheDir: string, name: string, hash: string): string {
  return path.join(cacheDir, `${name}.${hash}.battery.ts`);
}

const BATTERY_NAME = /^([\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*)\.([0-9a-f]{16})\.battery\.ts$/u;

/** The spec name and hash a battery file name stands for. */
export function parseBatteryName(fileName: string): { name: string; hash: string } | undefined {
  const m = BATTERY_NAME.exec(fileName.normalize('NFC'));
  return m ? { name: m[1]!, hash: m[2]! } : undefined;
}

/** Every file named like a battery (gc checks their headers before deleting any). */
export function listBatteryNames(cacheDir: string): { path: string; name: string; hash: string }[] {
  return cacheFolderNames(cacheDir).flatMap((n) => {
    const parsed = parseBatteryName(n);
    return parsed ? [{ path: path.join(cacheDir, n), ...parsed }] : [];
  });
}

export type EntryLookup =
  | { status: 'hit'; path: string; meta: EntryMeta; body: string }
  /** The body no longer matches its checksum: a human edited it. Used, never overwritten. */
  | { status: 'edited'; path: string; meta: EntryMeta; body: string }
  | { status: 'missing'; path: string }
  | { status: 'corrupt'; path: string; reason: string };

/** A lookup, and whether the file carries a Jaunt header at all (gc deletes nothing else). */
export interface EntryRead {
  lookup: EntryLookup;
  isEntry: boolean;
  bytes: number;
}

/**
 * Reads the entry file `file` (named for spec `name` at `hash`) without ever blocking or reading more than
 * MAX_FILE_BYTES: a FIFO, a device, a folder, an oversized file or a symlink out of the cache folder is
 * corrupt, and never read.
 */
export function readEntryFile(cacheDir: string, file: string, name: string, hash: string): EntryRead {
  const read = readBounded(file, { within: cacheDir });
  if (!read.ok) {
    // A dangling symlink is missing too: writing the entry replaces the link.
    if (read.refusal === 'missing') return { lookup: { status: 'missing', path: file }, isEntry: false, bytes: 0 };
    const never = read.refusal === 'unreadable' ? '' : '; Jaunt does not read it';
    return { lookup: { status: 'corrupt', path: file, reason: `${read.detail}${never}` }, isEntry: false, bytes: 0 };
  }
  const parsed = parseEntry(read.text);
  const corrupt = (reason: string): EntryRead => ({ lookup: { status: 'corrupt', path: file, reason }, isEntry: parsed.ok, bytes: read.bytes });
  if (!parsed.ok) return corrupt(parsed.reason);
  if (parsed.meta.hash !== hash || parsed.meta.spec.normalize('NFC') !== name.normalize('NFC')) {
    return corrupt(`header says ${parsed.meta.spec} ${parsed.meta.hash}, file name says ${name} ${hash}`);
  }
  if (parsed.body.trim() === '') return corrupt('empty body');
  const status = bodyChecksum(parsed.body) === parsed.meta.checksum ? 'hit' : 'edited';
  return { lookup: { status, path: file, meta: parsed.meta, body: parsed.body }, isEntry: true, bytes: read.bytes };
}

export function lookupEntry(cacheDir: string, name: string, hash: string): EntryLookup {
  return readEntryFile(cacheDir, entryPath(cacheDir, name, hash), name, hash).lookup;
}

/**
 * Temp files of writeFileAtomic: `<target>.<writer pid>.<random>.tmp`. The `.tmp` suffix is never an entry
 * name, and the cache folder's .gitignore keeps a leftover out of `git add .jaunt`.
 */
const TEMP_NAME = /^(.+\.ts)\.(\d+)\.([0-9a-z]+)\.tmp$/u;

export function parseTempName(fileName: string): { target: string; pid: number } | undefined {
  const m = TEMP_NAME.exec(fileName);
  return m ? { target: m[1]!, pid: Number(m[2]) } : undefined;
}

/** Written into a cache folder Jaunt creates: a kill between write and rename leaves a `*.tmp` file. */
export const CACHE_GITIGNORE = '# Written by Jaunt: temp files of interrupted writes. `jaunt gc --delete` removes them.\n*.tmp\n';

/** Writes via a temp file and rename, so concurrent builds never read a torn entry. */
export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    // `wx`: never follow or reuse something already at the temp name.
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Creates the cache folder, with its .gitignore when Jaunt is the one creating it. */
function ensureCacheDir(cacheDir: string): void {
  if (fs.mkdirSync(cacheDir, { recursive: true }) === undefined) return;
  try {
    fs.writeFileSync(path.join(cacheDir, '.gitignore'), CACHE_GITIGNORE, { flag: 'wx' });
  } catch {
    // Only a convenience: the entries matter, not this file.
  }
}

export interface NewEntry {
  name: string;
  hash: string;
  /** Project-relative spec file. */
  file: string;
  model: string;
  provider?: string;
  /** Provenance of a re-verified entry (see EntryMeta.reverified). */
  reverified?: string;
  body: string;
  inputTokens?: number;
  outputTokens?: number;
  attempts?: number;
  inputs?: string;
  /** Example assertions it passed. */
  examples?: number;
}

/** Persists one validated implementation. Refuses to replace a hand-edited entry unless `force`. */
export function writeEntry(cacheDir: string, entry: NewEntry, options: { force?: boolean } = {}): string {
  const file = entryPath(cacheDir, entry.name, entry.hash);
  if (!options.force && lookupEntry(cacheDir, entry.name, entry.hash).status === 'edited') {
    throw new JauntError(Codes.HandEditedEntry,
      `${file} was edited by hand; Jaunt keeps it (rerun with --force to replace it)`, { file }, entry.name);
  }
  const text = renderEntry({
    spec: entry.name, file: entry.file, hash: entry.hash, model: entry.model, provider: entry.provider, reverified: entry.reverified,
    tool: `${TOOL_NAME} ${TOOL_VERSION}`, created: new Date().toISOString(),
    inputTokens: entry.inputTokens, outputTokens: entry.outputTokens, attempts: entry.attempts, inputs: entry.inputs, examples: entry.examples,
  }, entry.body);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_FILE_BYTES) {
    throw new JauntError(Codes.FileTooLarge,
      `the implementation of spec '${entry.name}' would make an entry of ${kib(bytes)}, over the ${kib(MAX_FILE_BYTES)} limit for cache entries: split it into smaller specs`, { file }, entry.name);
  }
  try {
    ensureCacheDir(cacheDir);
    writeFileAtomic(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? `a folder is in the way of the entry`
      : code === 'EEXIST' || code === 'ENOTDIR' ? `a file is in the way of the cache folder ${cacheDir}`
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? `no permission to write in ${cacheDir}`
        : code ?? String(e);
    throw new JauntError(Codes.CacheWriteFailed, `cannot write cache entry ${file}: ${why}`, { file }, entry.name);
  }
  return file;
}

/**
 * Every file of the cache folder named like an entry that Jaunt may read: a regular file within the size
 * limit, inside the folder (for status's "what changed" and for tests). `name` is in NFC.
 */
export function listEntries(cacheDir: string): { path: string; name: string; hash: string }[] {
  return listEntryNames(cacheDir).filter((e) => inspectFile(e.path, { within: cacheDir }).ok);
}

/** The names in the cache folder; none when it does not exist (yet) or cannot be listed. */
export function cacheFolderNames(cacheDir: string): string[] {
  try {
    return fs.readdirSync(cacheDir);
  } catch {
    return [];
  }
}

/** Every file named like an entry, whatever it is (gc reports those that are not entries). */
export function listEntryNames(cacheDir: string): { path: string; name: string; hash: string }[] {
  return cacheFolderNames(cacheDir).flatMap((n) => {
    const parsed = parseEntryName(n);
    return parsed ? [{ path: path.join(cacheDir, n), ...parsed }] : [];
  });
}
