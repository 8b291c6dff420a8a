import * as path from 'node:path';
import type * as TS from 'typescript';
import { entriesDigest, readEntries, specNames, type EntryTexts } from './jest-cache-key';

/**
 * The cache folder as this process first saw it, before ts-jest ran the plugin here. ts-jest's language
 * service keeps one program for the process's life and the plugin reads the entries once per program, so a
 * process that runs jest more than once (`runCLI` called again by a script or an editor integration) goes
 * on splicing the entries it read first. jest recompiles a file there when its mtime changes; under a key
 * made from the newer entries, the old code would be stored where every later run finds it.
 */
const firstSeen = new Map<string, EntryTexts>();

/** Records the folder's entries the first time this process sees it; later calls keep that record. */
export function rememberEntries(cacheDir: string): void {
  if (!firstSeen.has(cacheDir)) firstSeen.set(cacheDir, readEntries(cacheDir));
}

/**
 * Throws before a spec file is compiled if its specs' entries changed since this process first saw the
 * folder: the output could be stale, and jest would cache it. jest starts new workers for each run, so this
 * only happens in a process that runs jest repeatedly in band, which must be restarted.
 */
export function assertEntriesUnchanged(ts: typeof TS, fileName: string, text: string, cacheDir: string): void {
  const names = specNames(ts, fileName, text);
  const first = firstSeen.get(cacheDir);
  if (names.size === 0 || first === undefined) return;
  if (entriesDigest(cacheDir, first, names) === entriesDigest(cacheDir, readEntries(cacheDir, names), names)) return;
  throw new Error(`jaunt-ts/jest: the cache entries of ${path.basename(fileName)}'s specs in ${cacheDir} changed while this jest ` +
    'process was running, and ts-jest and Jaunt keep what they read first, so its output could be stale. ' +
    'Restart jest to test the new implementations.');
}
