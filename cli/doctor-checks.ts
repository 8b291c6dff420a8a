import * as path from 'node:path';
import type * as TS from 'typescript';
import { TRUST_CONFIG_BASE_URL } from '../config/endpoint';
import { DEFAULT_PROVIDER, PROVIDERS, apiKeyFrom, isProviderId, type ProviderId } from '../config/providers';
import { inspectOptions, type OptionsReport, type ResolvedOptions } from '../config/options';
import { exampleLimitsOf } from '../behaviour/run-examples';
import { placeOf } from '../config/options-error';
import { analyzeProgram } from '../core/analyze-program';
import { JauntError, formatCode } from '../core/errors';
import { loadProject } from '../core/load-program';
import { isCi } from '../generate/should-generate';
import { cacheUsage } from '../core/cache-usage';
import { endpointLine } from './options-display';
import { displayPath } from './output';
import { packageScripts, resolveTsPatch, tscPatch } from './patch-state';
import { findTsconfig } from './project';
import { classifySpecs } from '../core/classify-specs';
import { CLI_MISSING_HINT } from './project';
import { JS_COMPILER_PACKAGE, TS7_FIX, analysisTypeScript } from '../core/analysis-typescript';
import { majorOf, resolveTypeScript, typeScriptProblem, type ResolvedTypeScript } from './typescript-version';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  id: string;
  status: CheckStatus;
  title: string;
  /** What to do about it; null when nothing needs doing. */
  fix: string | null;
}

const ok = (id: string, title: string): DoctorCheck => ({ id, status: 'ok', title, fix: null });
const warn = (id: string, title: string, fix: string): DoctorCheck => ({ id, status: 'warn', title, fix });
const fail = (id: string, title: string, fix: string): DoctorCheck => ({ id, status: 'fail', title, fix });
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function nodeCheck(): DoctorCheck {
  const v = process.versions.node;
  return majorOf(v) >= 20 ? ok('node', `Node.js ${v}`) : fail('node', `Node.js ${v} is too old`, 'jaunt-ts needs Node.js 20 or later');
}

function typeScriptCheck(resolved: ResolvedTypeScript, cwd: string): DoctorCheck {
  const where = displayPath(cwd, resolved.packageDir);
  const problem = typeScriptProblem(resolved.version);
  if (problem) return fail('typescript', `${problem.message} (${where})`, problem.fix);
  if (!resolved.fromProject) return warn('typescript', `TypeScript ${resolved.version}, but not from the project (it has none installed)`, 'npm i -D typescript@5.9 ts-patch@3.3');
  return ok('typescript', `TypeScript ${resolved.version} (${where})`);
}

/**
 * TypeScript 7: its tsc ignores plugins and would emit every spec as nothing, said loudly. With the JS
 * compiler installed beside it, Jaunt analyzes with that one and the bundler plugin builds.
 */
function typeScript7Check(resolved: ResolvedTypeScript, projectDir: string, cwd: string): { check: DoctorCheck; ts: typeof TS | undefined } {
  const where = displayPath(cwd, resolved.packageDir);
  try {
    const a = analysisTypeScript(projectDir);
    return {
      check: warn('typescript', `TypeScript ${resolved.version} (${where}) is the native compiler: its tsc ignores compilerOptions.plugins and emits every spec as nothing. Jaunt analyzes with ${JS_COMPILER_PACKAGE} ${a.version}`,
        'build with the bundler plugin (jaunt-ts/vite, jaunt-ts/esbuild, jaunt-ts/rollup or jaunt-ts/webpack), never with tsc 7 alone'),
      ts: a.ts,
    };
  } catch (e) {
    return { check: fail('typescript', `${messageOf(e).replace(/ TypeScript 7 ignores[\s\S]*$/, '')} (${where})`, TS7_FIX), ts: undefined };
  }
}

/** ts-patch present, and whether builds go through a compiler that runs plugins. */
function patchChecks(projectDir: string, ts: ResolvedTypeScript | undefined): DoctorCheck[] {
  const tsp = resolveTsPatch(projectDir);
  if (!tsp) {
    return [fail('ts-patch', 'ts-patch is not installed: plain tsc ignores compilerOptions.plugins, so specs are never implemented', 'npm i -D ts-patch@3.3, then build with `tspc` instead of `tsc`')];
  }
  const checks = [ok('ts-patch', `ts-patch ${tsp.version}: \`tspc\` (a tsc that runs plugins) is available`)];
  const patch = ts ? tscPatch(ts.packageDir) : { patched: false };
  const scripts = Object.entries(packageScripts(projectDir));
  const plainTsc = scripts.filter(([, cmd]) => /(^|[\s;&|(])(npx\s+)?tsc(\s|$)/.test(cmd));
  if (patch.patched) {
    checks.push(ok('tsc-patched', `tsc is patched by \`ts-patch install\`${patch.tspVersion ? ` (ts-patch ${patch.tspVersion})` : ''}: tsc and tspc both run the plugin`));
  } else if (plainTsc.length > 0) {
    const names = plainTsc.map(([name]) => `"${name}"`).join(', ');
    checks.push(warn('tsc-patched', `package.json script ${names} runs plain tsc, which is not patched and skips the plugin`,
      'use `tspc` in that script, or add "prepare": "ts-patch install -s" to patch tsc (ignore this for type-check-only runs)'));
  } else {
    checks.push(ok('tsc-patched', 'tsc is not patched: build with `tspc` (or run `ts-patch install` to patch tsc)'));
  }
  return checks;
}

/** The tsconfig's jaunt-ts plugin entry: present, resolvable the way ts-patch resolves it, options valid. */
function projectChecks(cwd: string, project: string | undefined, ts: typeof TS | undefined, env: NodeJS.ProcessEnv, bundlerOnly = false): DoctorCheck[] {
  let configPath: string;
  try {
    configPath = findTsconfig(cwd, project);
  } catch (e) {
    return [fail('tsconfig', messageOf(e), 'run jaunt in your project, or pass -p path/to/tsconfig.json')];
  }
  const shown = displayPath(cwd, configPath);
  if (!ts) return [warn('tsconfig', `${shown}: not inspected (no usable TypeScript)`, 'fix the TypeScript version first')];
  const projectDir = path.dirname(configPath);
  let loaded: ReturnType<typeof loadProject>;
  try {
    loaded = loadProject(ts, configPath);
  } catch (e) {
    return [fail('tsconfig', messageOf(e), `fix ${shown}`)];
  }
  const checks: DoctorCheck[] = [ok('tsconfig', `${shown} loads (${loaded.program.getRootFileNames().length} root files)`)];
  const entry = loaded.pluginConfig;
  const provider = entry?.provider;
  checks.push(keyCheck(env, isProviderId(provider) ? provider : DEFAULT_PROVIDER));
  if (!entry && bundlerOnly) {
    checks.push(ok('plugin', `${shown} has no jaunt-ts plugin entry: TypeScript 7 would ignore it; the bundler plugin takes its options (cacheDir, …) directly`));
    return checks;
  }
  if (!entry) {
    checks.push(fail('plugin', `${shown} has no jaunt-ts entry in compilerOptions.plugins`, 'add "plugins": [{ "transform": "jaunt-ts/transformer" }] to compilerOptions'));
    return checks;
  }
  const transform = String(entry.transform);
  try {
    const file = require.resolve(transform, { paths: [projectDir] });
    checks.push(ok('plugin', `plugin "${transform}" resolves to ${displayPath(cwd, file)}`));
  } catch {
    checks.push(fail('plugin', `plugin "${transform}" cannot be resolved from ${displayPath(cwd, projectDir) || '.'}, so ts-patch cannot load it`,
      transform.startsWith('.') ? 'use "jaunt-ts/transformer" rather than a path' : 'npm i -D jaunt-ts in this project'));
  }
  const report = inspectOptions(entry, projectDir, env, configPath);
  checks.push(...optionChecks(report, cwd, shown));
  // A bad cacheDir leaves nothing to inspect; other bad options do not hide the cache's state.
  if (report.cacheDir !== undefined) checks.push(...cacheChecks(ts, loaded.program, projectDir, report.cacheDir, cwd, report.options));
  return checks;
}

/** One check per bad option, then the endpoint: where the key would go, and from which source. */
function optionChecks(report: OptionsReport, cwd: string, shown: string): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const others = report.problems.filter((p) => p !== report.endpointProblem);
  for (const p of others) checks.push(fail('options', `${p.location ? `${placeOf(p.location, cwd)}: ` : ''}${p.problem} (${formatCode(p.code)})`, p.fix));
  const o = report.options;
  if (others.length === 0) checks.push(ok('options', `plugin options valid${o ? ` (model ${o.model}, cache ${displayPath(cwd, o.cacheDir)}, mode ${o.mode})` : ''}`));
  const e = report.endpointProblem;
  if (e) checks.push(fail('endpoint', `API endpoint refused: ${e.location ? `${placeOf(e.location, cwd)}: ` : ''}${e.problem} (${formatCode(e.code)})`, e.fix));
  else if (report.endpoint?.trust === 'opt-in') {
    checks.push(warn('endpoint', `API endpoint ${endpointLine(report.endpoint, shown)}: the key goes wherever that file says`,
      `export ANTHROPIC_BASE_URL=${report.endpoint.shown} instead of ${TRUST_CONFIG_BASE_URL}, so that a change to the tsconfig cannot redirect your key`));
  } else if (report.endpoint) checks.push(ok('endpoint', `API endpoint ${endpointLine(report.endpoint, shown)}`));
  return checks;
}

function cacheChecks(ts: typeof TS, program: TS.Program, projectDir: string, cacheDir: string, cwd: string, options: ResolvedOptions | undefined): DoctorCheck[] {
  let analysis: ReturnType<typeof analyzeProgram>;
  try {
    analysis = analyzeProgram(ts, program, projectDir);
  } catch (e) {
    if (e instanceof JauntError) return [fail('specs', e.message, 'fix the spec it names')];
    throw e;
  }
  const usage = cacheUsage(analysis, cacheDir);
  const statuses = classifySpecs({ ts, program, analysis, cacheDir, missingHint: CLI_MISSING_HINT, exampleLimits: options && exampleLimitsOf(options) }).statuses;
  const count = (s: string) => statuses.filter((x) => x.status === s).length;
  const where = displayPath(cwd, cacheDir);
  const checks: DoctorCheck[] = [];
  const corruptOrphans = usage.orphans.filter((o) => o.corrupt).length;
  const summary = `cache ${where}: ${usage.entries} entries, ${usage.used} in use, ${usage.orphans.length} unused`;
  if (count('corrupt') > 0) checks.push(fail('cache', `${summary}, ${count('corrupt')} corrupt in use`, 'run `jaunt status` to see them, then `jaunt build` to regenerate them'));
  else if (usage.orphans.length > 0) checks.push(warn('cache', `${summary}${corruptOrphans ? ` (${corruptOrphans} corrupt)` : ''}`, '`jaunt gc` lists them, `jaunt gc --delete` removes them'));
  else checks.push(ok('cache', `${summary}, none corrupt`));
  const notReady = count('stale') + count('missing');
  const broken = count('invalid') + count('cycle') + analysis.diagnostics.filter((d) => d.severity === 'error' && !d.spec).length;
  if (broken > 0) checks.push(warn('specs', `${statuses.length} specs, ${broken} malformed`, '`jaunt check` lists them with their JAUNT codes'));
  else if (notReady > 0) checks.push(warn('specs', `${statuses.length} specs, ${notReady} stale or missing`, 'run `jaunt build` (or tspc with a key) and commit the cache'));
  else checks.push(ok('specs', `${statuses.length} specs, all with a usable entry${count('edited') ? ` (${count('edited')} hand-edited)` : ''}`));
  return checks;
}

/** The key of the provider the plugin entry names (Anthropic when it names none). */
function keyCheck(env: NodeJS.ProcessEnv, provider: ProviderId): DoctorCheck {
  // Only presence is looked at: the value is never printed, logged or measured.
  const name = PROVIDERS[provider].keyEnv;
  const via = provider === DEFAULT_PROVIDER ? '' : ` (the plugin entry's provider is "${provider}")`;
  return apiKeyFrom(env, provider) !== undefined
    ? ok('api-key', `${name} is set${via}`)
    : warn('api-key', `${name} is not set${via}: builds can use the cache but not generate`, `export ${name}=<your key> to generate (not needed for \`jaunt check\` or offline builds)`);
}

/** Every doctor check, each independent: one failing does not hide the others. */
export function runDoctorChecks(cwd: string, project: string | undefined, env: NodeJS.ProcessEnv): DoctorCheck[] {
  const checks = [nodeCheck()];
  let configDir = cwd;
  try {
    configDir = path.dirname(findTsconfig(cwd, project));
  } catch {
    // Reported by projectChecks.
  }
  let resolved: ResolvedTypeScript | undefined;
  let ts: typeof TS | undefined;
  try {
    resolved = resolveTypeScript(configDir);
    if (majorOf(resolved.version) >= 7) {
      const native = typeScript7Check(resolved, configDir, cwd);
      checks.push(native.check);
      ts = native.ts;
    } else {
      checks.push(typeScriptCheck(resolved, cwd));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      if (!typeScriptProblem(resolved.version)) ts = require(resolved.main) as typeof TS;
    }
  } catch (e) {
    checks.push(fail('typescript', `TypeScript cannot be loaded: ${messageOf(e)}`, 'npm i -D typescript@5.9 ts-patch@3.3'));
  }
  // ts-patch cannot patch TypeScript 7: its projects build with the bundler plugin.
  if (!resolved || majorOf(resolved.version) < 7) checks.push(...patchChecks(configDir, resolved));
  checks.push(...projectChecks(cwd, project, ts, env, resolved !== undefined && majorOf(resolved.version) >= 7));
  // projectChecks checks the key of the provider it found in the plugin entry; without one, Anthropic's.
  if (!checks.some((c) => c.id === 'api-key')) checks.push(keyCheck(env, DEFAULT_PROVIDER));
  if (isCi(env)) checks.push(ok('ci', 'CI is set: tspc never generates here; a missing entry is a build error'));
  return checks;
}
