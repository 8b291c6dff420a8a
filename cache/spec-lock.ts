/**
 * Per-(spec, hash) lock files in the cache folder, so concurrent builds of one project pay for each spec
 * once: the build that creates `<name>.<hash>.lock` (O_EXCL) asks the model; the others wait for it, then
 * reuse the entry it wrote. Lock files end in `.lock`, so they never match an entry's `<name>.<hash>.ts`.
 *
 * A lock is stale, and taken over, when its owner's pid is gone (same host), or when its owner stopped
 * refreshing it (its mtime, touched every HEARTBEAT_MS) for STALE_AFTER_MS: a killed or hung build, or one
 * on another machine sharing the folder. A waiter holds no lock, so waiting never deadlocks.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const LOCK_SUFFIX = '.lock';
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 60_000;
const POLL_MS = 150;
/** A lock without a readable owner (its writer died between create and write) gets this long. */
const UNREADABLE_GRACE_MS = 5_000;

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Tells this holder's lock from a later one at the same path. */
  token: string;
}

export interface SpecLock {
  readonly path: string;
  /** Removes the lock if it is still ours. Idempotent. */
  release(): void;
}

export interface AcquireOptions {
  staleAfterMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  /** Told once, when the lock is found held by a live owner and waiting starts. */
  onWait?: (owner: LockOwner | undefined) => void;
  /** Told when a stale lock is taken over, with why it was stale. */
  onRecover?: (why: string) => void;
}

export function lockPath(cacheDir: string, name: string, hash: string): string {
  return path.join(cacheDir, `${name}.${hash}${LOCK_SUFFIX}`);
}

/** The owner recorded in a lock file; undefined when unreadable, 'gone' when the file no longer exists. */
export function readOwner(file: string): LockOwner | undefined | 'gone' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LockOwner> | null;
    if (v && typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.token === 'string') {
      return { pid: v.pid, host: v.host, since: typeof v.since === 'string' ? v.since : '', token: v.token };
    }
  } catch {
    // Empty or torn: judged by age below.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the lock may be taken over, or undefined while its owner may still be working. */
function staleness(owner: LockOwner | undefined, ageMs: number, staleAfterMs: number): string | undefined {
  if (owner && owner.host === os.hostname() && owner.pid !== process.pid && !isAlive(owner.pid)) {
    return `its owner, pid ${owner.pid}, is gone`;
  }
  if (!owner && ageMs > UNREADABLE_GRACE_MS) return 'it names no owner';
  if (ageMs > staleAfterMs) return `its owner${owner ? `, pid ${owner.pid},` : ''} has not refreshed it for ${Math.round(ageMs / 1000)} s`;
  return undefined;
}

/** O_EXCL create; false when someone holds it. Other errors (an unwritable folder) are thrown. */
function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, JSON.stringify(owner));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * Takes a stale lock away: renames it aside (atomic, so two breakers cannot both remove it), and if what
 * was moved is not the stale lock judged (someone broke it first and took a fresh one), links that back.
 */
function breakLock(file: string, staleToken: string | undefined): void {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return;
  }
  const moved = readOwner(aside);
  const token = moved === 'gone' ? staleToken : moved?.token;
  if (token !== staleToken) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // EEXIST: yet another holder; theirs stands.
    }
  }
  fs.rmSync(aside, { force: true });
}

const held = new Map<string, string>();
let exitHook = false;

/** Removes the locks this process holds when it exits (a signal-driven exit included); a SIGKILL leaves them for staleness. */
function releaseAllOnExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const [file, token] of held) removeIfOurs(file, token);
  });
}

function removeIfOurs(file: string, token: string): void {
  const owner = readOwner(file);
  if (owner !== 'gone' && owner?.token === token) fs.rmSync(file, { force: true });
}

function hold(file: string, owner: LockOwner, heartbeatMs: number): SpecLock {
  held.set(file, owner.token);
  releaseAllOnExit();
  const beat = setInterval(() => {
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch {
      // Broken by another build that judged us stale: release() will find it is no longer ours.
    }
  }, heartbeatMs);
  beat.unref();
  let released = false;
  return {
    path: file,
    release() {
      if (released) return;
      released = true;
      clearInterval(beat);
      held.delete(file);
      removeIfOurs(file, owner.token);
    },
  };
}

/**
 * Takes the lock of (name, hash), waiting while a live build holds it. Resolves undefined when no lock can
 * be made (the cache folder is not writable): the caller then generates unlocked, and its write reports why.
 */
export async function acquireSpecLock(cacheDir: string, name: string, hash: string, o: AcquireOptions = {}): Promise<SpecLock | undefined> {
  const file = lockPath(cacheDir, name, hash);
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
  } catch {
    return undefined;
  }
  let waiting = false;
  for (;;) {
    try {
      if (tryCreate(file, { ...owner, since: new Date().toISOString() })) return hold(file, owner, o.heartbeatMs ?? HEARTBEAT_MS);
    } catch {
      return undefined;
    }
    const seen = readOwner(file);
    if (seen === 'gone') continue;
    let ageMs: number;
    try {
      ageMs = Date.now() - fs.statSync(file).mtimeMs;
    } catch {
      continue;
    }
    const why = staleness(seen, ageMs, o.staleAfterMs ?? STALE_AFTER_MS);
    if (why) {
      o.onRecover?.(why);
      breakLock(file, seen?.token);
      continue;
    }
    if (!waiting) o.onWait?.(seen);
    waiting = true;
    await sleep(o.pollMs ?? POLL_MS);
  }
}
