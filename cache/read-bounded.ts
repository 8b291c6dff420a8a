import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The most Jaunt reads of one cache entry or one `author --from` file. An entry holds one function and its
 * helpers: a model's answer is bounded by maxTokens (4096 tokens by default, about 16 KiB), so 256 KiB leaves
 * room for hand edits while a runaway file (or /dev/zero behind a symlink) is refused before it is read.
 */
export const MAX_FILE_BYTES = 256 * 1024;

export type Refusal = 'missing' | 'not-regular' | 'too-large' | 'outside' | 'unreadable';

export type BoundedRead =
  | { ok: true; text: string; bytes: number }
  /** `detail` completes "<file> ...": e.g. "is a named pipe (FIFO), not a regular file". */
  | { ok: false; refusal: Refusal; detail: string };

export interface ReadLimits {
  maxBytes?: number;
  /** When set, a file that resolves (through symlinks) outside this folder is refused. */
  within?: string;
}

// Opening never waits for a FIFO's writer and never makes a terminal ours; Windows lacks both flags.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

export function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * What `file` is, from its metadata alone (nothing is opened): readable as a regular file within the
 * limits, or why not. Symlinks are followed, and named in the refusal.
 */
export function inspectFile(file: string, limits: ReadLimits = {}): { ok: true; bytes: number } | Extract<BoundedRead, { ok: false }> {
  const maxBytes = limits.maxBytes ?? MAX_FILE_BYTES;
  let link: fs.Stats;
  try {
    link = fs.lstatSync(file);
  } catch (e) {
    const code = errno(e);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { ok: false, refusal: 'missing', detail: 'does not exist' } : { ok: false, refusal: 'unreadable', detail: `cannot be read (${code})` };
  }
  let via = '';
  let target = file;
  if (link.isSymbolicLink()) {
    try {
      target = fs.realpathSync(file);
    } catch (e) {
      const code = errno(e);
      const to = safeReadlink(file);
      return code === 'ENOENT' ? { ok: false, refusal: 'missing', detail: `is a symlink to ${to}, which does not exist` }
        : { ok: false, refusal: 'unreadable', detail: `is a symlink to ${to} that cannot be followed (${code})` };
    }
    via = `is a symlink to ${target}, `;
  }
  let st: fs.Stats;
  try {
    st = link.isSymbolicLink() ? fs.statSync(file) : link;
  } catch (e) {
    return { ok: false, refusal: 'unreadable', detail: `cannot be read (${errno(e)})` };
  }
  if (!st.isFile()) return { ok: false, refusal: 'not-regular', detail: `${via || 'is '}${kindOf(st)}, not a regular file` };
  if (st.size > maxBytes) return { ok: false, refusal: 'too-large', detail: `${via}${via ? 'of ' : 'is '}${kib(st.size)}, over the ${kib(maxBytes)} limit` };
  if (via && limits.within !== undefined && !isInside(realDir(limits.within), target)) {
    return { ok: false, refusal: 'outside', detail: `${via}outside the cache folder ${limits.within}` };
  }
  return { ok: true, bytes: st.size };
}

function safeReadlink(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return '?';
  }
}

function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/**
 * Reads a text file that must be a regular file of at most `maxBytes`. The metadata is checked before
 * opening (so a device is never opened), the open never blocks, and the opened descriptor is checked
 * again: a file swapped for a FIFO or grown meanwhile is refused, never read past the limit.
 */
export function readBounded(file: string, limits: ReadLimits = {}): BoundedRead {
  const maxBytes = limits.maxBytes ?? MAX_FILE_BYTES;
  const inspected = inspectFile(file, limits);
  if (!inspected.ok) return inspected;
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (e) {
    const code = errno(e);
    return code === 'ENOENT' ? { ok: false, refusal: 'missing', detail: 'does not exist' } : { ok: false, refusal: 'unreadable', detail: `cannot be read (${code})` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, refusal: 'not-regular', detail: `is ${kindOf(st)}, not a regular file` };
    // Sized by fstat, but read to EOF: a file that grew meanwhile is read up to one byte past the limit.
    const chunks: Buffer[] = [];
    let length = 0;
    let chunk = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let used = 0;
    for (;;) {
      if (used === chunk.length) {
        chunks.push(chunk);
        chunk = Buffer.alloc(64 * 1024);
        used = 0;
      }
      const n = fs.readSync(fd, chunk, used, Math.min(chunk.length - used, maxBytes + 1 - length), null);
      if (n === 0) break;
      used += n;
      length += n;
      if (length > maxBytes) return { ok: false, refusal: 'too-large', detail: `is over the ${kib(maxBytes)} limit` };
    }
    chunks.push(chunk.subarray(0, used));
    return { ok: true, text: Buffer.concat(chunks, length).toString('utf8'), bytes: length };
  } catch (e) {
    return { ok: false, refusal: 'unreadable', detail: `cannot be read (${errno(e)})` };
  } finally {
    fs.closeSync(fd);
  }
}
