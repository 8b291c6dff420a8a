/**
 * `tspc -p <project>` in an already loaded compiler: the compile step tsc's command line runs (performCompilation
 * of TypeScript's executeCommandLine: the same host, the same JSDoc parsing mode, the same diagnostics
 * collection, formatting and exit status, through TypeScript's own functions), with the plugin applied as
 * ts-patch applies it (the built `jaunt-ts/transformer` called per emit with `{ ts, addDiagnostic, ... }`,
 * what it adds appended to the emit's diagnostics). A spawned tspc spends most of its time starting Node,
 * patching and loading the compiler and parsing the default libraries; here the compiler stays loaded and
 * library files are parsed once per set of options. It runs on the build thread (tspc-thread.ts), so builds
 * that generate can block on the plugin's worker while a fake model server in the test's thread answers.
 *
 * Only the plain compile runs here. Anything where the process is what is under test, or that this driver
 * does not reproduce, returns undefined so the caller spawns the real tspc: build mode, watch, incremental
 * and composite projects, source files on the command line, and plugins other than a bare jaunt-ts entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import * as ts from 'typescript';
import type { RunResult } from './spawn-async';
import { REPO } from './temp-project';
import { parseSettingsKey } from '../../core/program-host';
// The module object itself, whose writeSync the plugin's modules read at each call.
import nodeFs = require('node:fs');

/** TypeScript internals of executeCommandLine that this driver calls (present in 5.x and 6.x). */
interface TscInternals {
  createDiagnosticReporter(system: ts.System, pretty?: boolean): ts.DiagnosticReporter;
  parseConfigFileWithSystem(configFileName: string, optionsToExtend: ts.CompilerOptions, extendedConfigCache: Map<string, unknown> | undefined,
    watchOptionsToExtend: ts.WatchOptions | undefined, system: ts.System, reportDiagnostic: ts.DiagnosticReporter): ts.ParsedCommandLine | undefined;
  createCompilerHostWorker(options: ts.CompilerOptions, setParentNodes: boolean | undefined, system: ts.System): ts.CompilerHost;
  changeCompilerHostLikeToUseCache(host: ts.CompilerHost, toPath: (fileName: string) => string): unknown;
  toPath(fileName: string, basePath: string, getCanonicalFileName: (f: string) => string): string;
  createGetCanonicalFileName(useCaseSensitiveFileNames: boolean): (f: string) => string;
  getConfigFileParsingDiagnostics(config: ts.ParsedCommandLine): readonly ts.Diagnostic[];
  emitFilesAndReportErrorsAndGetExitStatus(program: ts.Program, report: ts.DiagnosticReporter, write: (s: string) => void, reportSummary: undefined): number;
  isIncrementalCompilation(options: ts.CompilerOptions): boolean;
}

const internals = ts as unknown as TscInternals;
const PLUGIN_NAME = 'jaunt-ts/transformer';
const PLUGIN_ENTRY_KEYS_TSPATCH_READS = ['type', 'after', 'afterDeclarations', 'import', 'isEsm', 'transformProgram', 'resolvePathAliases'];

type Plugin = (program: ts.Program, config: Record<string, unknown>, extras: {
  ts: typeof ts; addDiagnostic(d: ts.Diagnostic): number; removeDiagnostic(i: number): void; diagnostics: readonly ts.Diagnostic[];
}) => ts.TransformerFactory<ts.SourceFile>;

class Exit {
  constructor(readonly code: number) {}
}

// Library and @types files never change during a run: parse (and bind) each once per parse settings.
const libraryFiles = new Map<string, ts.SourceFile>();
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

function cacheLibraryFiles(host: ts.CompilerHost, options: ts.CompilerOptions): void {
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    if (shouldCreateNewSourceFile || !fileName.includes(NODE_MODULES) || !fileName.endsWith('.d.ts')) {
      return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    }
    // The settings the product's own shared parses are keyed by (core/program-host.ts), per real path.
    const key = `${fs.realpathSync(fileName)}\0${host.jsDocParsingMode}\0${parseSettingsKey(options, languageVersionOrOptions)}`;
    let sf = libraryFiles.get(key);
    if (!sf) {
      sf = getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
      if (sf) libraryFiles.set(key, sf);
    }
    return sf;
  };
}

/** The only plugin entry of the project when it is a bare jaunt-ts entry; undefined otherwise. */
function jauntEntry(options: ts.CompilerOptions): Record<string, unknown> | undefined {
  const plugins = (options.plugins ?? []) as unknown as Record<string, unknown>[];
  if (plugins.length !== 1) return undefined;
  const entry = plugins[0]!;
  if (entry.transform !== PLUGIN_NAME || PLUGIN_ENTRY_KEYS_TSPATCH_READS.some((k) => k in entry)) return undefined;
  return entry;
}

function loadPlugin(): Plugin {
  // The built plugin, as tspc loads it: `jaunt-ts/transformer` resolves to dist/.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(REPO, 'dist', 'transformer', 'plugin.js')) as Plugin;
}

/**
 * Runs `fn` with env, cwd and stderr as a child's would be, then puts them back. A worker thread cannot
 * chdir: there the thread's own process.cwd() (which path.resolve and ts.sys read) answers `cwd`.
 */
function asChild<T>(cwd: string, env: NodeJS.ProcessEnv, stderr: (s: string) => void, fn: () => T): T {
  const savedEnv = process.env;
  const savedCwd = process.cwd;
  const savedWrite = process.stderr.write;
  const savedWriteSync = nodeFs.writeSync;
  process.env = { ...env };
  if (isMainThread) process.chdir(cwd);
  else process.cwd = () => cwd;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  // The generator prints its summary straight to fd 2 (its thread may be blocked): that is the child's stderr too.
  const writeSync = (fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]): number => {
    if (fd !== 2) return (savedWriteSync as (...a: unknown[]) => number)(fd, data, ...rest);
    const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    stderr(text);
    return Buffer.byteLength(text);
  };
  nodeFs.writeSync = writeSync as typeof fs.writeSync;
  const savedDir = isMainThread ? savedCwd.call(process) : undefined;
  try {
    return fn();
  } finally {
    nodeFs.writeSync = savedWriteSync;
    process.stderr.write = savedWrite;
    if (savedDir !== undefined) process.chdir(savedDir);
    else process.cwd = savedCwd;
    process.env = savedEnv;
  }
}

/**
 * `tspc <args>` in `cwd` with `env`, in this thread; undefined when the build must be spawned (see above).
 * `status` is tsc's exit status; stdout has what tsc prints, stderr what the plugin writes there.
 * `otherThreads` returns what other threads (the generation worker) wrote to stderr since it was last called:
 * it goes before each write of this thread, so the output keeps the order a child's would have.
 */
export function tspcInProcess(args: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv; otherThreads?: () => string }): RunResult | undefined {
  const commandLine = ts.parseCommandLine([...args]);
  const options = commandLine.options;
  if (commandLine.errors.length > 0 || commandLine.fileNames.length > 0 || !options.project) return undefined;
  if (args.some((a) => /^--?(b|build|w|watch)$/.test(a)) || options.showConfig || options.listFilesOnly || options.generateTrace || options.extendedDiagnostics || options.diagnostics) return undefined;

  let stdout = '';
  let stderr = '';
  let output = '';
  const catchUp = (): void => {
    const other = o.otherThreads?.() ?? '';
    stderr += other;
    output += other;
  };
  const outWrite = (s: string): void => { catchUp(); stdout += s; output += s; };
  const errWrite = (s: string): void => { catchUp(); stderr += s; output += s; };
  const system: ts.System = {
    ...ts.sys,
    args: [...args],
    write: outWrite,
    writeOutputIsTTY: () => false,
    getCurrentDirectory: () => o.cwd,
    exit: (code?: number) => { throw new Exit(code ?? 0); },
    clearScreen: undefined,
  };
  const report = internals.createDiagnosticReporter(system, false);
  const project = path.resolve(o.cwd, options.project);
  const configFile = fs.existsSync(project) && fs.statSync(project).isDirectory() ? path.join(project, 'tsconfig.json') : project;
  if (!fs.existsSync(configFile)) return undefined;
  const { project: _, ...optionsToExtend } = options;
  void _;

  const result = asChild(o.cwd, o.env, errWrite, (): { status: number } | undefined => {
    try {
      const config = internals.parseConfigFileWithSystem(configFile, optionsToExtend, new Map(), commandLine.watchOptions, system, report);
      if (!config) return { status: 1 };
      const entry = jauntEntry(config.options);
      if (!entry || internals.isIncrementalCompilation(config.options) || config.options.pretty) return undefined;
      const host = internals.createCompilerHostWorker(config.options, undefined, system);
      host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
      cacheLibraryFiles(host, config.options);
      const getCanonicalFileName = internals.createGetCanonicalFileName(host.useCaseSensitiveFileNames());
      internals.changeCompilerHostLikeToUseCache(host, (f) => internals.toPath(f, host.getCurrentDirectory(), getCanonicalFileName));
      const program = ts.createProgram({
        rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, host,
        configFileParsingDiagnostics: internals.getConfigFileParsingDiagnostics(config),
      });
      // What ts-patch does to a program's emit: the plugin made per emit call, its diagnostics appended.
      const plugin = loadPlugin();
      const added: ts.Diagnostic[] = [];
      const originalEmit = program.emit.bind(program);
      program.emit = (target, writeFile, cancel, dtsOnly, custom) => {
        const factory = plugin(program, entry, {
          ts, addDiagnostic: (d) => added.push(d), removeDiagnostic: (i) => void added.splice(i, 1), diagnostics: added,
        });
        const emitted = originalEmit(target, writeFile, cancel, dtsOnly, { ...custom, before: [factory, ...(custom?.before ?? [])] });
        for (const d of added) if (!emitted.diagnostics.includes(d)) (emitted.diagnostics as ts.Diagnostic[]).push(d);
        return emitted;
      };
      return { status: internals.emitFilesAndReportErrorsAndGetExitStatus(program, report, (s) => system.write(s + system.newLine), undefined) };
    } catch (e) {
      if (e instanceof Exit) return { status: e.code };
      throw e;
    }
  });
  if (!result) return undefined;
  catchUp();
  return { status: result.status, signal: null, stdout, stderr, output };
}
