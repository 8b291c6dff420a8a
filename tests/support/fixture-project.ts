/**
 * Fixture projects for end-to-end tests: a copy of a folder under fixtures/ (or files given inline) in a
 * fresh temp dir under `.tmp-tests/`, compiled by the real compiler (ts-patch's tspc with the built plugin
 * in dist/) and run with node.
 *
 * The temp dirs sit inside the repo so that `@types/*`, `typescript` and the plugin resolve from the
 * repo's node_modules, as they would from a user's project; `.tmp-tests/node_modules/jaunt-ts` links to
 * the repo root so `jaunt-ts/transformer` resolves even where `npm ci` did not create the self-link.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { authorOffline } from '../../core/author-offline';
import { runAsync, type RunResult } from './spawn-async';
import { tspcOnThread } from './tspc-thread';
import { REPO, TSPC } from './temp-project';

export { REPO as REPO_ROOT, TSPC };
export const TMP_ROOT = path.join(REPO, '.tmp-tests');
export const FIXTURES_DIR = path.join(REPO, 'fixtures');
export const JEST = path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');
/** Time limit of a nested jest run: a cold ts-jest compile takes minutes on a loaded 2-core machine, not a hang. */
export const NESTED_JEST_MS = 400_000;

/** Folders of the sources tspc runs from dist/: a test against a stale build would test old code. */
const BUILT_DIRS = ['spec', 'spec-kinds', 'behaviour', 'sandbox', 'cache', 'splice', 'validate', 'transformer', 'core', 'config', 'generate', 'bundler'];

export type { RunResult };

/**
 * The environment compilers and programs run in: never generating (no key, CI set), so a missing
 * entry is an error and not a network call.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', NO_COLOR: '1', ...extra };
  delete env.ANTHROPIC_API_KEY;
  delete env.ANTHROPIC_BASE_URL;
  delete env.FORCE_COLOR;
  return env;
}

let checkedBuild = false;

/** Fails with a clear message when dist/ is missing or older than the sources tspc would load from it. */
export function assertBuildIsFresh(): void {
  if (checkedBuild) return;
  const stale: string[] = [];
  for (const dir of BUILT_DIRS) {
    for (const name of fs.readdirSync(path.join(REPO, dir))) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const source = path.join(REPO, dir, name);
      const built = path.join(REPO, 'dist', dir, name.replace(/\.ts$/, '.js'));
      if (!fs.existsSync(built) || fs.statSync(built).mtimeMs + 1 < fs.statSync(source).mtimeMs) stale.push(`${dir}/${name}`);
    }
  }
  if (stale.length) throw new Error(`dist/ is missing or older than ${stale.join(', ')}: run \`npm run build\` before these tests`);
  checkedBuild = true;
}

/** Makes `jaunt-ts` resolvable from every temp project, whatever the state of the repo's self-link. */
function ensureSelfLink(): void {
  const link = path.join(TMP_ROOT, 'node_modules', 'jaunt-ts');
  try {
    if (fs.realpathSync(link) === fs.realpathSync(REPO)) return;
    fs.rmSync(link, { recursive: true, force: true });
  } catch {
    // not there yet
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  try {
    fs.symlinkSync(path.relative(path.dirname(link), REPO), link, 'dir');
  } catch (e) {
    // Another jest worker made it first.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

function makeTempDir(label: string): string {
  fs.mkdirSync(TMP_ROOT, { recursive: true });
  ensureSelfLink();
  return fs.mkdtempSync(path.join(TMP_ROOT, `${label.replace(/[^\w-]/g, '_')}-`));
}

/** Build output and build state are never copied: every test compiles for itself. */
const SKIPPED = new Set(['out', 'node_modules']);

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const ent of fs.readdirSync(from, { withFileTypes: true })) {
    if (SKIPPED.has(ent.name) || ent.name.endsWith('.tsbuildinfo')) continue;
    const src = path.join(from, ent.name);
    const dst = path.join(to, ent.name);
    if (ent.isDirectory()) copyTree(src, dst);
    else fs.copyFileSync(src, dst);
  }
}

/** Runs a child process to completion, with a hard time limit (the child is killed past it). */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return runAsync(command, args, { cwd: options.cwd, env: options.env ?? childEnv(), timeoutMs: options.timeoutMs });
}

/**
 * `tspc <args>`: compiled on this process's build thread when nothing but the compile is under test (see
 * tspc-in-process.ts; builds that generate too), else by a spawned tspc. JAUNT_TEST_SPAWN=1 spawns every
 * build, to compare the two. Spawn tspc yourself where the process is under test (signals, concurrency).
 */
export async function tspc(args: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  const onThread = process.env.JAUNT_TEST_SPAWN === '1' ? undefined : await tspcOnThread(args, o);
  return onThread ?? run(process.execPath, [TSPC, ...args], o);
}

/** A long-running child (tspc --watch) whose output can be awaited line by line. */
export class WatchedProcess {
  private output = '';
  private readonly waiters: { test: (s: string) => boolean; resolve: () => void }[] = [];
  private exited = false;

  constructor(readonly child: ChildProcess) {
    const onData = (d: Buffer): void => {
      this.output += d.toString('utf8');
      for (const w of [...this.waiters]) if (w.test(this.output)) w.resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', () => { this.exited = true; });
  }

  /** Everything printed so far. */
  text(): string {
    return this.output;
  }

  /** The output's length now: pass it to `waitFor` to wait for something printed after this point. */
  mark(): number {
    return this.output.length;
  }

  /** Resolves once `pattern` appears in the output after `from`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, from: number, timeoutMs: number): Promise<string> {
    const test = (s: string): boolean => pattern.test(s.slice(from));
    if (test(this.output)) return Promise.resolve(this.output.slice(from));
    return new Promise((resolve, reject) => {
      const waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          resolve(this.output.slice(from));
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} in:\n${this.output.slice(from)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Kills the process group and waits for the exit (SIGKILL if SIGTERM is ignored). */
  async stop(): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const pid = this.child.pid;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

export class FixtureProject {
  private constructor(readonly dir: string) {}

  /** A copy of `fixtures/<name>` (without its build output) in a fresh temp dir. */
  static copy(name: string): FixtureProject {
    assertBuildIsFresh();
    const source = path.join(FIXTURES_DIR, name);
    if (!fs.existsSync(source)) throw new Error(`no fixture ${source}`);
    const project = new FixtureProject(makeTempDir(name));
    copyTree(source, project.dir);
    return project;
  }

  /** A project made of the given files (relative path → text) in a fresh temp dir. */
  static fromFiles(label: string, files: Record<string, string>): FixtureProject {
    assertBuildIsFresh();
    const project = new FixtureProject(makeTempDir(label));
    for (const [rel, text] of Object.entries(files)) project.write(rel, text);
    return project;
  }

  path(...rel: string[]): string {
    return path.join(this.dir, ...rel);
  }

  exists(rel: string): boolean {
    return fs.existsSync(this.path(rel));
  }

  read(rel: string): string {
    return fs.readFileSync(this.path(rel), 'utf8');
  }

  write(rel: string, text: string): void {
    fs.mkdirSync(path.dirname(this.path(rel)), { recursive: true });
    fs.writeFileSync(this.path(rel), text);
  }

  /** Rewrites a file; throws when the edit changes nothing (a test must never pass on a no-op edit). */
  edit(rel: string, change: (text: string) => string): void {
    const before = this.read(rel);
    const after = change(before);
    if (after === before) throw new Error(`edit of ${rel} changed nothing`);
    this.write(rel, after);
  }

  remove(rel: string): void {
    fs.rmSync(this.path(rel), { recursive: true, force: true });
  }

  /** Project-relative paths of the cache entries in `.jaunt/` (or another cache dir). */
  entries(cacheDir = '.jaunt'): string[] {
    if (!this.exists(cacheDir)) return [];
    return fs.readdirSync(this.path(cacheDir)).filter((n) => n.endsWith('.ts')).sort().map((n) => `${cacheDir}/${n}`);
  }

  /** The one entry of spec `name`; throws when there is none or several. */
  entryOf(name: string, cacheDir = '.jaunt'): string {
    const found = this.entries(cacheDir).filter((e) => path.basename(e).startsWith(`${name}.`));
    if (found.length !== 1) throw new Error(`expected one entry for ${name}, found ${JSON.stringify(found)}`);
    return found[0]!;
  }

  /** Writes cache entries from `<implDir>/<spec>.ts` for every spec of the tsconfig, as the fixtures' were. */
  authorOffline(tsconfig = 'tsconfig.json', implDir = 'impl'): { written: string[]; missing: string[] } {
    return authorOffline(ts, this.path(tsconfig), this.path(implDir));
  }

  /** Runs ts-patch's tspc in the project folder (default: `-p .`). */
  tspc(args: readonly string[] = ['-p', '.'], env?: NodeJS.ProcessEnv): Promise<RunResult> {
    return tspc(args, { cwd: this.dir, env: childEnv(env) });
  }

  /** Starts `tspc --watch` in its own process group, so `stop()` ends it and everything it started. */
  watch(args: readonly string[] = ['-p', '.']): WatchedProcess {
    const child = spawn(process.execPath, [TSPC, '--watch', '--preserveWatchOutput', ...args], {
      cwd: this.dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    return new WatchedProcess(child);
  }

  /** Runs an emitted file with node. */
  node(rel: string, args: readonly string[] = []): Promise<RunResult> {
    return run(process.execPath, [rel, ...args], { cwd: this.dir, timeoutMs: 30_000 });
  }

  /** Runs a snippet with node (`-e`, or `--input-type=module -e` for ESM) in the project folder. */
  eval(code: string, options: { esm?: boolean } = {}): Promise<RunResult> {
    const args = options.esm ? ['--input-type=module', '-e', code] : ['-e', code];
    return run(process.execPath, args, { cwd: this.dir, timeoutMs: 30_000 });
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Parses the JSON a fixture's main program prints as its last line of stdout. */
export function lastJsonLine(result: RunResult): unknown {
  const lines = result.stdout.trim().split('\n');
  const last = lines[lines.length - 1];
  if (result.status !== 0 || last === undefined) {
    throw new Error(`program failed (exit ${result.status}):\n${result.output}`);
  }
  return JSON.parse(last) as unknown;
}

/** Synchronous version of `run`, for the rare test that needs one (e.g. a child under another uid). */
export function runSync(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; timeoutMs?: number }): RunResult {
  const r = spawnSync(command, args, {
    cwd: options.cwd, env: options.env ?? childEnv(), encoding: 'utf8', timeout: options.timeoutMs ?? 60_000,
    ...(options.uid !== undefined ? { uid: options.uid } : {}), ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}${r.stderr}` };
}

/** Compiler options of the in-memory projects: small lib, no @types, as a strict user project. */
export const IN_MEMORY_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true,
  lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true,
};

/** Root of the in-memory projects' virtual file system. */
export const IN_MEMORY_ROOT = '/virtual/project';

// Lib files never change: parse them once for all in-memory programs of a test file.
const libCache = new Map<string, ts.SourceFile>();

/**
 * A program over in-memory files (project-relative path → text) rooted at IN_MEMORY_ROOT, for tests of
 * the analysis that need the checker but not the emitter. Lib files come from the installed TypeScript.
 */
export function inMemoryProgram(files: Record<string, string>, options: ts.CompilerOptions = IN_MEMORY_OPTIONS): ts.Program {
  const byPath = new Map(Object.entries(files).map(([rel, text]) => [path.posix.join(IN_MEMORY_ROOT, rel), text]));
  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  const isLib = (f: string): boolean => f.startsWith(libDir);
  const host: ts.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      if (isLib(fileName)) {
        let sf = libCache.get(fileName);
        if (!sf) {
          const text = ts.sys.readFile(fileName);
          if (text === undefined) return undefined;
          sf = ts.createSourceFile(fileName, text, languageVersion);
          libCache.set(fileName, sf);
        }
        return sf;
      }
      const text = byPath.get(fileName);
      return text === undefined ? undefined : ts.createSourceFile(fileName, text, languageVersion);
    },
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    writeFile: () => undefined,
    getCurrentDirectory: () => IN_MEMORY_ROOT,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => byPath.has(f) || (isLib(f) && ts.sys.fileExists(f)),
    readFile: (f) => byPath.get(f) ?? (isLib(f) ? ts.sys.readFile(f) : undefined),
    directoryExists: (d) => d === IN_MEMORY_ROOT || [...byPath.keys()].some((f) => f.startsWith(`${d}/`)) || (isLib(d) && ts.sys.directoryExists(d)),
    getDirectories: () => [],
  };
  const roots = [...byPath.keys()].filter((f) => /\.(c|m)?ts$/.test(f));
  return ts.createProgram({ rootNames: roots, options, host });
}
