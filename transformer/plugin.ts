import * as path from 'node:path';
import type * as TS from 'typescript';
import { resolveOptions, type ResolvedOptions } from '../config/options';
import { Codes, JauntError, diagnostic, type JauntDiagnostic } from '../core/errors';
import { prepareProgram, type EditedCheck, type PreparedProgram } from '../core/prepare-program';
import type { Validator } from '../generate/validate-candidate';
import { workerGenerator } from '../generate/generate-sync';
import { generationDecision } from '../generate/should-generate';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { toTsDiagnostic } from './to-ts-diagnostic';
import { transformFile, type SpliceSource } from './transform-file';

/** What ts-patch hands a `program`-type plugin. */
interface PatchExtras {
  ts: typeof TS;
  addDiagnostic(d: TS.Diagnostic): unknown;
}

/** The part of ts-jest's TsCompiler a `astTransformers.before` factory uses. */
interface TsJestCompiler {
  program?: TS.Program;
  configSet?: { parsedTsConfig?: TS.ParsedCommandLine };
}

// Module level: watch mode creates the plugin per emit call, and a program is prepared only once.
const prepared = new WeakMap<TS.Program, { result: PreparedProgram; source: SpliceSource }>();
// mode "force" regenerates once per project and process, not on every watch rebuild.
const forced = new Set<string>();

function projectDirOf(program: TS.Program): string {
  const config = program.getCompilerOptions().configFilePath;
  return typeof config === 'string' ? path.dirname(config) : program.getCurrentDirectory();
}

function prepare(ts: typeof TS, program: TS.Program, rawConfig: unknown, report: (d: JauntDiagnostic) => void) {
  const cached = prepared.get(program);
  if (cached) return cached;
  let options: ResolvedOptions;
  let result: PreparedProgram;
  try {
    options = resolveOptions(rawConfig, projectDirOf(program));
    if (options.mode === 'force' && forced.has(options.projectDir)) options = { ...options, mode: 'auto' };
    else if (options.mode === 'force') forced.add(options.projectDir);
    const decision = generationDecision(options, process.env);
    const configPath = program.getCompilerOptions().configFilePath;
    const generator = decision.generate && typeof configPath === 'string'
      ? workerGenerator(configPath, rawConfig as Record<string, unknown> | undefined, options.mode === 'force')
      : undefined;
    let validator: Validator | undefined;
    const checkEdited: EditedCheck = (analysis, spec, body) => {
      // Loaded on demand: most builds have no hand-edited entry.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createValidator } = require('../generate/validate-candidate') as typeof import('../generate/validate-candidate');
      validator ??= createValidator(ts, program, analysis);
      const r = validator.validate(spec, body);
      return r.ok ? [] : r.errors;
    };
    result = prepareProgram(ts, program, options, generator, decision.generate ? undefined : decision.hint, checkEdited);
  } catch (e) {
    // Never a stack trace at the user: a bug becomes one error diagnostic with its message.
    const d = e instanceof JauntError ? e.toDiagnostic()
      : diagnostic(Codes.BadConfig, `internal error in ${TOOL_NAME} ${TOOL_VERSION}: ${e instanceof Error ? e.message : String(e)}; please report it`);
    report(d);
    return undefined;
  }
  result.diagnostics.forEach(report);
  const relative = (p: string) => path.relative(options.projectDir, p).split(path.sep).join('/');
  const source: SpliceSource = {
    analysis: result.analysis,
    implementation(id) {
      const r = result.resolutions.get(id);
      if (!r) return { problem: diagnostic(Codes.MissingEntry, `spec ${id} was not analyzed`) };
      return r.ok ? { body: r.body, label: `${relative(r.entryPath)}${r.edited ? ' (edited by hand)' : ''}` } : { problem: r.diagnostic };
    },
    report,
  };
  const entry = { result, source };
  prepared.set(program, entry);
  return entry;
}

function sourceFileTransformer(ts: typeof TS, program: () => TS.Program | undefined, config: unknown, report: (p: TS.Program, d: JauntDiagnostic) => void): TS.TransformerFactory<TS.SourceFile> {
  return () => (sf) => {
    const p = program();
    if (!p) return sf;
    const state = prepare(ts, p, config, (d) => report(p, d));
    return state ? transformFile(ts, p, state.source, sf) : sf;
  };
}

/** ts-patch entry: `{ "transform": "jaunt-ts/transformer" }` in tsconfig `plugins`. */
function jauntTransformer(program: TS.Program, config?: Record<string, unknown>, extras?: PatchExtras): TS.TransformerFactory<TS.SourceFile> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = extras?.ts ?? (require('typescript') as typeof TS);
  const seen = new Set<string>();
  const report = (p: TS.Program, d: JauntDiagnostic): void => {
    const key = `${d.code}|${d.location?.file}|${d.location?.start}|${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    // tsc fails a build on any diagnostic it holds, warnings included: only errors go to tsc.
    if (extras && d.severity === 'error') extras.addDiagnostic(toTsDiagnostic(ts, p, d));
    else process.stderr.write(`${ts.formatDiagnostic(toTsDiagnostic(ts, p, d), formatHost(ts))}`);
  };
  // Prepare now, so diagnostics land in this emit's result even if no spec file is emitted.
  prepare(ts, program, config, (d) => report(program, d));
  return sourceFileTransformer(ts, () => program, config, report);
}

function formatHost(ts: typeof TS): TS.FormatDiagnosticsHost {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => ts.sys.newLine };
}

/** ts-jest entry: `astTransformers: { before: [{ path: 'jaunt-ts/transformer', options: {...} }] }`. */
function factory(compiler: TsJestCompiler, options?: Record<string, unknown>): TS.TransformerFactory<TS.SourceFile> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof TS;
  const seen = new Set<string>();
  const report = (p: TS.Program, d: JauntDiagnostic): void => {
    const key = `${d.code}|${d.location?.file}|${d.message}`;
    if (!seen.has(key)) process.stderr.write(ts.formatDiagnostic(toTsDiagnostic(ts, p, d), formatHost(ts))), seen.add(key);
  };
  let own: TS.Program | undefined;
  const program = (): TS.Program | undefined => {
    if (compiler.program) return compiler.program;
    // isolatedModules: ts-jest has no program, so build one from its tsconfig once.
    const parsed = compiler.configSet?.parsedTsConfig;
    if (!own && parsed) own = ts.createProgram(parsed.fileNames, parsed.options);
    return own;
  };
  return sourceFileTransformer(ts, program, options, report);
}

const plugin = Object.assign(jauntTransformer, { factory, version: TOOL_VERSION });
// ts-jest keys its cache on `name` and `version`; a function's `name` needs defineProperty.
Object.defineProperty(plugin, 'name', { value: TOOL_NAME });
export = plugin;
