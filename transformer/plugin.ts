import * as path from 'node:path';
import type * as TS from 'typescript';
import { resolveOptions } from '../config/options';
import { Codes, JauntError, diagnostic, type JauntDiagnostic } from '../core/errors';
import { prepareProgram, type PreparedProgram } from '../core/prepare-program';
import { workerGenerator } from '../generate/generate-sync';
import { benchMark } from '../generate/bench-timeline';
import { generationDecision } from '../generate/should-generate';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { toTsDiagnostic } from './to-ts-diagnostic';
import { stubSpecsAfterFailure } from '../spec/fallback-stubs';
import { transformFile } from './transform-file';
import { createProgramHost } from '../core/program-host';

/** What ts-patch hands a `program`-type plugin. */
interface PatchExtras {
  ts: typeof TS;
  addDiagnostic(d: TS.Diagnostic): unknown;
  removeDiagnostic?(index: number): void;
  diagnostics?: readonly TS.Diagnostic[];
}

/** The part of ts-jest's TsCompiler a `astTransformers.before` factory uses. */
interface TsJestCompiler {
  program?: TS.Program;
  /** ts-jest's language service (internal to ts-jest 29): its current program holds the file being compiled. */
  _languageService?: { getProgram(): TS.Program | undefined };
  configSet?: { parsedTsConfig?: TS.ParsedCommandLine };
}

// Module level: watch mode creates the plugin per emit call, and a program is prepared only once.
const prepared = new WeakMap<TS.Program, Prepared>();
// mode "force" regenerates once per project and process, not on every watch rebuild.
const forced = new Set<string>();

function projectDirOf(program: TS.Program): string {
  const config = program.getCompilerOptions().configFilePath;
  return typeof config === 'string' ? path.dirname(config) : program.getCurrentDirectory();
}

type Prepared = { result: PreparedProgram } | { failure: JauntDiagnostic };

function prepare(ts: typeof TS, program: TS.Program, rawConfig: unknown): Prepared {
  const cached = prepared.get(program);
  if (cached) return cached;
  let state: Prepared;
  try {
    let options = resolveOptions(rawConfig, projectDirOf(program), process.env, program.getCompilerOptions().configFilePath);
    if (options.mode === 'force' && forced.has(options.projectDir)) options = { ...options, mode: 'auto' };
    else if (options.mode === 'force') forced.add(options.projectDir);
    const decision = generationDecision(options, process.env);
    const configPath = program.getCompilerOptions().configFilePath;
    const generator = decision.generate && typeof configPath === 'string'
      ? workerGenerator(configPath, rawConfig as Record<string, unknown> | undefined, options.mode === 'force')
      : undefined;
    benchMark('prepare-start');
    state = { result: prepareProgram(ts, program, options, generator, decision.generate ? undefined : decision.hint) };
    benchMark('prepare-end');
  } catch (e) {
    // Never a stack trace at the user: a bug becomes one error diagnostic with its message.
    state = { failure: e instanceof JauntError ? e.toDiagnostic()
      : diagnostic(Codes.InternalError, `internal error in ${TOOL_NAME} ${TOOL_VERSION}: ${e instanceof Error ? e.message : String(e)}; please report it`) };
  }
  prepared.set(program, state);
  return state;
}

function formatted(ts: typeof TS, program: TS.Program, d: JauntDiagnostic): string {
  return ts.formatDiagnostic(toTsDiagnostic(ts, program, d), formatHost(ts));
}

// What this plugin added to each program's diagnostics, so each emit call can start clean.
const added = new WeakMap<TS.Program, Set<TS.Diagnostic>>();
// Warnings are printed once per program, however many emit calls it has.
const printed = new WeakMap<TS.Program, Set<string>>();

/**
 * ts-patch entry: `{ "transform": "jaunt-ts/transformer" }` in tsconfig `plugins`. Called per emit call.
 * Errors about a file are added with that file's emit: watch and incremental builds keep each emitted
 * file's diagnostics and repeat them for files they do not re-emit, so an error attached to another
 * file's emit would outlive its fix.
 */
function jauntTransformer(program: TS.Program, config?: Record<string, unknown>, extras?: PatchExtras): TS.TransformerFactory<TS.SourceFile> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = extras?.ts ?? (require('typescript') as typeof TS);
  const mine = added.get(program) ?? added.set(program, new Set()).get(program)!;
  // ts-patch 3 passes both; other hosts of `program` plugins may not.
  if (extras?.diagnostics && extras.removeDiagnostic) {
    for (let i = extras.diagnostics.length - 1; i >= 0; i--) if (mine.has(extras.diagnostics[i]!)) extras.removeDiagnostic(i);
  }
  const seen = printed.get(program) ?? printed.set(program, new Set()).get(program)!;
  const toTsc = (d: JauntDiagnostic): void => {
    if (!extras || d.severity !== 'error') {
      // tsc fails a build on any diagnostic it holds, warnings included: warnings go to stderr.
      const text = formatted(ts, program, d);
      if (!seen.has(text)) process.stderr.write(text), seen.add(text);
      return;
    }
    const tsDiagnostic = toTsDiagnostic(ts, program, d);
    mine.add(tsDiagnostic);
    extras.addDiagnostic(tsDiagnostic);
  };
  const state = prepare(ts, program, config);
  const problems = 'failure' in state ? [state.failure] : state.result.diagnostics;
  // Held until their file is transformed, unless no JS emit will transform it.
  const options = program.getCompilerOptions();
  const noJsEmit = options.noEmit === true || options.emitDeclarationOnly === true;
  const byFile = new Map<string, JauntDiagnostic[]>();
  for (const d of problems) {
    const file = d.location?.file;
    const sf = file !== undefined ? program.getSourceFile(file) : undefined;
    if (d.severity !== 'error' || noJsEmit || !sf || sf.isDeclarationFile) toTsc(d);
    else byFile.set(sf.fileName, [...(byFile.get(sf.fileName) ?? []), d]);
  }
  return () => (sf) => {
    byFile.get(sf.fileName)?.forEach(toTsc);
    byFile.delete(sf.fileName);
    return 'failure' in state ? stubSpecsAfterFailure(ts, sf, state.failure) : transformFile(ts, state.result.plans, sf);
  };
}

function formatHost(ts: typeof TS): TS.FormatDiagnosticsHost {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => ts.sys.newLine };
}

/** ts-jest entry: `astTransformers: { before: [{ path: 'jaunt-ts/transformer', options: {...} }] }`. */
function factory(compiler: TsJestCompiler, options?: Record<string, unknown>): TS.TransformerFactory<TS.SourceFile> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof TS;
  const seen = new Set<string>();
  let own: TS.Program | undefined;
  const programOf = (sf: TS.SourceFile): TS.Program | undefined => {
    // ts-jest's `program` is the one it started with, which leaves test files out: a file with specs that
    // it lacks (a test file with @jauntTest specs) is read from the language service's current program.
    if (compiler.program && sf.text.includes('@jaunt') && compiler.program.getSourceFile(sf.fileName)?.text !== sf.text) {
      const current = compiler._languageService?.getProgram();
      if (current?.getSourceFile(sf.fileName)) return current;
    }
    if (compiler.program) return compiler.program;
    // isolatedModules: ts-jest has no program, so build one from its tsconfig once.
    const parsed = compiler.configSet?.parsedTsConfig;
    if (!own && parsed) own = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host: createProgramHost(ts, parsed.options) });
    return own;
  };
  // jest has no diagnostics channel for transformers: everything goes to stderr, once.
  return () => (sf) => {
    const program = programOf(sf);
    if (!program) return sf;
    const report = (d: JauntDiagnostic): void => {
      const text = formatted(ts, program, d);
      if (!seen.has(text)) process.stderr.write(text), seen.add(text);
    };
    const state = prepare(ts, program, options);
    if ('failure' in state) return report(state.failure), stubSpecsAfterFailure(ts, sf, state.failure);
    state.result.diagnostics.forEach(report);
    return transformFile(ts, state.result.plans, sf);
  };
}

const plugin = Object.assign(jauntTransformer, { factory, version: TOOL_VERSION });
// ts-jest keys its cache on `name` and `version`; a function's `name` needs defineProperty.
Object.defineProperty(plugin, 'name', { value: TOOL_NAME });
export = plugin;
