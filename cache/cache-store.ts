import * as fs from 'node:fs';
import * as path from 'node:path';
import { Codes, JauntError } from '../core/errors';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { bodyChecksum, parseEntry, renderEntry, type EntryMeta } from './entry-format';

/**
 * One file per spec hash, named so that a lookup needs no index (no merge conflicts between branches):
 * `<cacheDir>/<spec name>.<hash>.ts`.
 */
export function entryPath(cacheDir: string, name: string, hash: string): string {
  return path.join(cacheDir, `${name}.${hash}.ts`);
}

const ENTRY_NAME = /^([A-Za-z_$][\w$]*)\.([0-9a-f]{16})\.ts$/;

export type EntryLookup =
  | { status: 'hit'; path: string; meta: EntryMeta; body: string }
  /** The body no longer matches its checksum: a human edited it. Used, never overwritten. */
  | { status: 'edited'; path: string; meta: EntryMeta; body: string }
  | { status: 'missing'; path: string }
  | { status: 'corrupt'; path: string; reason: string };

export function lookupEntry(cacheDir: string, name: string, hash: string): EntryLookup {
  const file = entryPath(cacheDir, name, hash);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing', path: file };
    return { status: 'corrupt', path: file, reason: `cannot be read (${code ?? String(e)})` };
  }
  const parsed = parseEntry(text);
  if (!parsed.ok) return { status: 'corrupt', path: file, reason: parsed.reason };
  if (parsed.meta.hash !== hash || parsed.meta.spec !== name) {
    return { status: 'corrupt', path: file, reason: `header says ${parsed.meta.spec} ${parsed.meta.hash}, file name says ${name} ${hash}` };
  }
  if (parsed.body.trim() === '') return { status: 'corrupt', path: file, reason: 'empty body' };
  const status = bodyChecksum(parsed.body) === parsed.meta.checksum ? 'hit' : 'edited';
  return { status, path: file, meta: parsed.meta, body: parsed.body };
}

/** Writes via a temp file and rename, so concurrent builds never read a torn entry. */
export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export interface NewEntry {
  name: string;
  hash: string;
  /** Project-relative spec file. */
  file: string;
  model: string;
  body: string;
  inputTokens?: number;
  outputTokens?: number;
  attempts?: number;
  inputs?: string;
}

/** Persists one validated implementation. Refuses to replace a hand-edited entry unless `force`. */
export function writeEntry(cacheDir: string, entry: NewEntry, options: { force?: boolean } = {}): string {
  const file = entryPath(cacheDir, entry.name, entry.hash);
  if (!options.force && lookupEntry(cacheDir, entry.name, entry.hash).status === 'edited') {
    throw new JauntError(Codes.HandEditedEntry,
      `${file} was edited by hand; Jaunt keeps it (rerun with --force to replace it)`, { file }, entry.name);
  }
  const text = renderEntry({
    spec: entry.name, file: entry.file, hash: entry.hash, model: entry.model,
    tool: `${TOOL_NAME} ${TOOL_VERSION}`, created: new Date().toISOString(),
    inputTokens: entry.inputTokens, outputTokens: entry.outputTokens, attempts: entry.attempts, inputs: entry.inputs,
  }, entry.body);
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? `a file is in the way of the cache folder ${cacheDir}`
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? `no permission to write in ${cacheDir}`
        : code ?? String(e);
    throw new JauntError(Codes.CacheWriteFailed, `cannot write cache entry ${file}: ${why}`, { file }, entry.name);
  }
  return file;
}

/** Every entry file in the cache folder (for gc and status). */
export function listEntries(cacheDir: string): { path: string; name: string; hash: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(cacheDir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const m = ENTRY_NAME.exec(n);
    return m ? [{ path: path.join(cacheDir, n), name: m[1]!, hash: m[2]! }] : [];
  });
}
