/**
 * Running a child as another (unprivileged) user. Root ignores permission bits, so tests of "cannot write"
 * drop to `nobody` when the suite runs as root. That user must be able to reach everything the child
 * loads and touches, wherever the clone lives: a clone inside `mktemp -d` sits in a 0700 folder it cannot
 * enter. So the child gets its own world-readable copy of the package (package.json, dist/ and the
 * run-time dependencies it needs) in a fresh folder under the OS temp dir.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from './temp-project';

/** uid/gid of `nobody`, used when the suite runs as root. */
export const NOBODY = { uid: 65534, gid: 65534 };

export const runsAsRoot = (): boolean => process.getuid?.() === 0;

export interface ReachableCopy {
  /** Root of the copy: a jaunt-ts package folder (`<root>/dist/...`), mode 0755. */
  root: string;
  /** A fresh 0755 folder inside the copy for the child to work in. */
  workDir: string;
  remove(): void;
}

function openUp(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) openUp(p);
    else if (ent.isFile()) fs.chmodSync(p, 0o644);
  }
}

/** A world-readable copy of the built package, with the given run-time dependencies from node_modules. */
export function reachableCopy(dependencies: readonly string[] = ['xxhash-wasm']): ReachableCopy {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jaunt-other-user-'));
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(root, 'package.json'));
  fs.cpSync(path.join(REPO, 'dist'), path.join(root, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  for (const dep of dependencies) {
    fs.cpSync(fs.realpathSync(path.join(REPO, 'node_modules', dep)), path.join(root, 'node_modules', dep), { recursive: true });
  }
  const workDir = path.join(root, 'work');
  fs.mkdirSync(workDir);
  openUp(root);
  return { root, workDir, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
