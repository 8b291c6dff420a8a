/**
 * A private folder for one sandboxed run, under the project's `node_modules/.cache/jaunt/run/`: inside
 * node_modules, so the code's package imports resolve as they do in the project, and never in the
 * user's source tree. Jaunt writes it; the child may only read it.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { machineCacheDir } from '../validate/verdict-cache';

export interface RunFolder {
  dir: string;
  /** The node_modules folder the run resolves packages from. */
  nodeModules: string;
  /** What the child may read, as real paths: the project, its node_modules and this folder. */
  readable: string[];
  write(relative: string, text: string): string;
  remove(): void;
}

export function createRunFolder(projectDir: string): RunFolder {
  const cache = machineCacheDir(projectDir);
  const made = path.join(cache, 'run', `${process.pid}-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(made, { recursive: true });
  // The permission model checks real paths: a symlinked node_modules must be granted where it really is.
  const dir = fs.realpathSync(made);
  const nodeModules = fs.realpathSync(path.resolve(cache, '..', '..'));
  return {
    dir,
    nodeModules,
    readable: [fs.realpathSync(projectDir), nodeModules, dir],
    write(relative, text) {
      const file = path.join(dir, ...relative.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
