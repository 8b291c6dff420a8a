import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { resolveOptions, type ResolvedOptions } from '../config/options';
import { exampleLimitsOf } from '../behaviour/run-examples';
import { analyzeProgram, type ProgramAnalysis } from '../core/analyze-program';
import { classifySpecs, type Classification } from '../core/classify-specs';
import { Codes, JauntError } from '../core/errors';
import { loadProject } from '../core/load-program';
import { CliError } from './cli-error';
import { ExitCode } from './exit-codes';
import { withOptionsErrors } from './options-display';
import { displayPath } from './output';
import { majorOf, resolveTypeScript, typeScriptProblem } from './typescript-version';
import { JS_COMPILER_PACKAGE, analysisTypeScript } from '../core/analysis-typescript';

/** Everything a command needs to know about the project it was pointed at. */
export interface ProjectContext {
  ts: typeof TS;
  configPath: string;
  projectDir: string;
  program: TS.Program;
  /** The raw jaunt-ts entry of `compilerOptions.plugins`, if any. */
  pluginConfig: Record<string, unknown> | undefined;
  options: ResolvedOptions;
  analysis: ProgramAnalysis;
}

/**
 * The tsconfig that `-p` names: a file, or a folder holding tsconfig.json. Without `-p`, the nearest
 * tsconfig.json from the working folder upwards, as tsc finds it.
 */
export function findTsconfig(cwd: string, project: string | undefined): string {
  if (project !== undefined) {
    const target = path.resolve(cwd, project);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(target);
    } catch {
      throw new CliError(ExitCode.Config, `cannot find ${project}`, { code: Codes.BadConfig, hint: 'pass -p with a tsconfig.json or the folder that holds one' });
    }
    if (!stat.isDirectory()) return target;
    const inside = path.join(target, 'tsconfig.json');
    if (fs.existsSync(inside)) return inside;
    throw new CliError(ExitCode.Config, `no tsconfig.json in ${project}`, { code: Codes.BadConfig, hint: 'pass -p path/to/tsconfig.json' });
  }
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new CliError(ExitCode.Config, `no tsconfig.json in ${cwd} or any folder above it`, {
    code: Codes.BadConfig, hint: 'run jaunt inside your project, or pass -p path/to/tsconfig.json',
  });
}

/** The project's own TypeScript (the one tspc compiles with); refuses versions Jaunt cannot work with. */
export function loadTypeScript(projectDir: string, warn: (line: string) => void): typeof TS {
  const resolved = resolveTypeScript(projectDir);
  const beside = majorOf(resolved.version) >= 7 ? besideTypeScript7(projectDir, resolved.version, warn) : undefined;
  if (beside) return beside;
  const problem = typeScriptProblem(resolved.version);
  if (problem) throw new CliError(ExitCode.Config, `${problem.message} (${resolved.packageDir})`, { code: Codes.UnsupportedTypeScript, hint: problem.fix });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved.main) as typeof TS;
}

/**
 * A TypeScript 7 project: analyzed with the JS compiler installed beside it, and told on every command that
 * its own tsc emits every spec as nothing. Undefined when there is none (refused as JAUNT4002, with the fix).
 */
function besideTypeScript7(projectDir: string, version: string, warn: (line: string) => void): typeof TS | undefined {
  try {
    const a = analysisTypeScript(projectDir);
    warn(`warning JAUNT${Codes.NoJsCompiler}: this project's TypeScript ${version} is the native compiler: its tsc ignores compilerOptions.plugins and emits every spec as nothing. Jaunt analyzes with ${JS_COMPILER_PACKAGE} ${a.version}; build with the bundler plugin (jaunt-ts/vite, jaunt-ts/esbuild, jaunt-ts/rollup or jaunt-ts/webpack).`);
    return a.ts;
  } catch (e) {
    if (e instanceof JauntError && e.code === Codes.NoJsCompiler) return undefined;
    throw e;
  }
}

/** tsc refuses a tsconfig that is not valid JSON(C); the program loader would read it leniently. */
function checkConfigSyntax(ts: typeof TS, configPath: string, cwd: string): void {
  const { error } = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  if (!error) return;
  const where = error.file && error.start !== undefined ? error.file.getLineAndCharacterOfPosition(error.start) : undefined;
  const at = `${displayPath(cwd, configPath)}${where ? `:${where.line + 1}:${where.character + 1}` : ''}`;
  throw new CliError(ExitCode.Config, `${at}: ${ts.flattenDiagnosticMessageText(error.messageText, ' ')}`, { code: Codes.BadConfig, hint: 'fix the tsconfig (tsc would refuse it too)' });
}

/**
 * Loads the tsconfig's program, resolves the plugin options (from `env`, the command's environment) and
 * analyzes every spec. `overrides` are command-line values of plugin options (`--provider`, `--model`):
 * they win over the entry and are checked with it. `warn` prints a warning line (the command's stderr).
 */
export function openProject(
  cwd: string, project: string | undefined, env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {},
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): ProjectContext {
  const configPath = findTsconfig(cwd, project);
  const projectDir = path.dirname(configPath);
  const ts = loadTypeScript(projectDir, warn);
  checkConfigSyntax(ts, configPath, cwd);
  const loaded = loadProject(ts, configPath);
  const raw = Object.keys(overrides).length > 0 ? { ...loaded.pluginConfig, ...overrides } : loaded.pluginConfig;
  const options = withOptionsErrors(() => resolveOptions(raw, projectDir, env, configPath), cwd);
  const analysis = analyzeProgram(ts, loaded.program, projectDir);
  return { ts, configPath, projectDir, program: loaded.program, pluginConfig: loaded.pluginConfig, options, analysis };
}

/** What a CLI command tells the user to do about a spec without a usable entry. */
export const CLI_MISSING_HINT = 'Run `jaunt build` (it needs ANTHROPIC_API_KEY) and commit .jaunt/.';

const classified = new WeakMap<ProjectContext, Classification>();

/** The one verdict on every spec of the project (entries checked as they ship), computed once per command. */
export function projectStatuses(project: ProjectContext): Classification {
  let c = classified.get(project);
  if (!c) {
    c = classifySpecs({
      ts: project.ts, program: project.program, analysis: project.analysis, cacheDir: project.options.cacheDir, missingHint: CLI_MISSING_HINT,
      exampleLimits: exampleLimitsOf(project.options),
    });
    classified.set(project, c);
  }
  return c;
}
