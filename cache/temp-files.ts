import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheFolderNames, parseBatteryName, parseEntryName, parseTempName } from './cache-store';

/**
 * A write takes milliseconds from temp file to rename, so a temp file this old was abandoned (a kill
 * between the two) even when its pid now belongs to another process.
 */
export const TEMP_GRACE_MS = 60_000;

export interface TempFile {
  path: string;
  /** The pid of the process that wrote it, from its name. */
  pid: number;
  ageMs: number;
  bytes: number;
  /** Abandoned: its writer is gone, or it is older than TEMP_GRACE_MS. gc --delete removes it. */
  leftover: boolean;
  /** Why it is a leftover, or why it is kept. */
  detail: string;
}

/** Whether `pid` runs on this machine (EPERM: it does, as another user). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}

/**
 * The temp files of entry writes in the cache folder. Lookups never see them (their names end in `.tmp`,
 * never an entry name); gc lists them and removes the leftovers. Only regular files named exactly as
 * writeFileAtomic names them, for an entry- or battery-named target, count: anything else is not Jaunt's to remove.
 */
export function listTempFiles(cacheDir: string, now = Date.now()): TempFile[] {
  return cacheFolderNames(cacheDir).flatMap((n) => {
    const temp = parseTempName(n);
    if (!temp || !(parseEntryName(temp.target) || parseBatteryName(temp.target))) return [];
    const file = path.join(cacheDir, n);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(file);
    } catch {
      return [];
    }
    if (!st.isFile()) return [];
    const ageMs = now - st.mtimeMs;
    const alive = processAlive(temp.pid);
    const leftover = !alive || ageMs > TEMP_GRACE_MS;
    const detail = !alive ? `temp file of an interrupted write (process ${temp.pid} is gone)`
      : leftover ? `temp file of an interrupted write (${seconds(ageMs)} old)`
        : `temp file of a write in progress (process ${temp.pid}, ${seconds(ageMs)} old): kept`;
    return [{ path: file, pid: temp.pid, ageMs, bytes: st.size, leftover, detail }];
  });
}

/** Removes the leftover temp files; returns those removed. */
export function removeLeftoverTemps(files: readonly TempFile[]): Set<TempFile> {
  const removed = new Set<TempFile>();
  for (const f of files) {
    if (!f.leftover) continue;
    try {
      fs.rmSync(f.path, { force: true });
      removed.add(f);
    } catch {
      // Another gc got it, or the folder is read-only: it stays listed.
    }
  }
  return removed;
}
