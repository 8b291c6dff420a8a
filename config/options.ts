import * as fs from 'node:fs';
import * as path from 'node:path';
import { Codes } from '../core/errors';
import { tablePrice, type Price } from './cost';
import { resolveEndpoint, type Endpoint } from './endpoint';
import { DEFAULT_PROVIDER, PROVIDERS, PROVIDER_IDS, isProviderId, type ProviderId } from './providers';
import { OptionsError, locateOption } from './options-error';
import { HOST_KEYS, INT_RULES, JAUNT_KEYS, intProblem, suggestName, type IntOption } from './option-rules';

export type GenerationMode = 'auto' | 'never' | 'force';

/** Settings from the tsconfig plugin entry (and CLI flags, which win). All optional. */
export interface JauntOptions {
  /** Cache folder, relative to the tsconfig's folder and inside it. Default ".jaunt". */
  cacheDir?: string;
  /** Lets `cacheDir` be absolute or outside the tsconfig's folder. */
  allowCacheOutsideProject?: boolean;
  /** auto: generate on a miss when a key is set and CI is not; never: a miss is an error; force: regenerate. */
  mode?: GenerationMode;
  model?: string;
  maxTokens?: number;
  temperature?: number;
  /** Per-request timeout of the provider, milliseconds. */
  timeoutMs?: number;
  /** Provider retries for transient failures (429, 529, 5xx, connection), outside the attempt budget. */
  retries?: number;
  /** Generation attempts per spec (a failed validation feeds the next attempt). */
  attempts?: number;
  /** Specs generated at once. */
  concurrency?: number;
  /** Anthropic API base URL; receives the key only as config/endpoint.ts allows. */
  baseURL?: string;
  /** USD per million tokens, for cost estimates and budgets. */
  price?: { input: number; output: number };
  /** Also ask for a battery of held-out tests per spec, and run it on every candidate (one extra request per spec). */
  tests?: boolean;
  /** Who answers: "anthropic" (default) or "openai" (any OpenAI-compatible Chat Completions server). */
  provider?: ProviderId;
  /** USD a build may spend on requests; it stops sending before it would exceed it. */
  budget?: number;
  /** Wall-clock limit of one sandboxed run of a file's examples (and battery), milliseconds once node is up. */
  exampleTimeoutMs?: number;
}

export interface ResolvedOptions {
  /** Absolute folder the project is rooted at (the tsconfig's folder). */
  projectDir: string;
  cacheDir: string;
  mode: GenerationMode;
  model: string;
  maxTokens: number;
  temperature: number;
  timeoutMs: number;
  retries: number;
  attempts: number;
  concurrency: number;
  /** Where the key goes; undefined: the SDK's default host. */
  baseURL: string | undefined;
  /** The same endpoint, with where it came from and how to show it. */
  endpoint: Endpoint;
  /** Batteries of held-out tests (`tests: true`, `jaunt build --tests`). */
  tests: boolean;
  provider: ProviderId;
  /** The plugin entry's price, else the table's for the model; undefined when neither knows it. */
  price: Price | undefined;
  /** USD per build; undefined for no limit. */
  budget: number | undefined;
  /** The sandbox's time limit for a run of examples (`exampleTimeoutMs`). */
  exampleTimeoutMs: number;
}

/** Every problem of a plugin entry at once (for doctor), and the parts that are fine. */
export interface OptionsReport {
  /** Set only when there is no problem. */
  options: ResolvedOptions | undefined;
  problems: OptionsError[];
  /** Set when the endpoint is acceptable, whatever the other options. */
  endpoint: Endpoint | undefined;
  /** The endpoint's problem (also in `problems`), when it is not acceptable. */
  endpointProblem: OptionsError | undefined;
  /** Set when `cacheDir` is acceptable. */
  cacheDir: string | undefined;
}

/** A current Sonnet-class model that the pinned SDK does not flag as deprecated. */
export const DEFAULT_MODEL = PROVIDERS.anthropic.defaultModel;

const MODES: readonly GenerationMode[] = ['auto', 'never', 'force'];
const FIX = 'Fix it in the jaunt-ts entry of compilerOptions.plugins.';

/** The tsconfig the options were read from: tsc's record of it, else the project's tsconfig.json. */
function configFileOf(configFile: unknown, projectDir: string): string | undefined {
  if (typeof configFile === 'string' && configFile !== '') return configFile;
  const guess = path.join(projectDir, 'tsconfig.json');
  return fs.existsSync(guess) ? guess : undefined;
}

/** Where `cacheDir` may point: inside the tsconfig's folder, unless the entry opts out. */
function cacheDirProblem(value: string, projectDir: string, outsideAllowed: boolean): string | undefined {
  if (outsideAllowed) return undefined;
  if (path.isAbsolute(value)) return `option "cacheDir" ${JSON.stringify(value)} is an absolute path.`;
  const rel = path.relative(projectDir, path.resolve(projectDir, value));
  if (rel === '') return `option "cacheDir" ${JSON.stringify(value)} is the project folder itself, where entries would mix with sources.`;
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    return `option "cacheDir" ${JSON.stringify(value)} leaves the tsconfig's folder (${projectDir}).`;
  }
  return undefined;
}

function priceProblem(value: unknown): string | undefined {
  const o = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const fine = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (o && fine(o.input) && fine(o.output) && Object.keys(o).every((k) => k === 'input' || k === 'output')) return undefined;
  return `option "price" must be { "input": <USD>, "output": <USD> } per million tokens (numbers >= 0), got ${JSON.stringify(value)}.`;
}

/** Validates raw options (from JSON, so untrusted) and fills defaults; reports every problem. */
export function inspectOptions(raw: unknown, projectDir: string, env: NodeJS.ProcessEnv = process.env, configFile?: unknown): OptionsReport {
  const file = configFileOf(configFile, projectDir);
  const at = (key?: string) => locateOption(file, key);
  const problems: OptionsError[] = [];
  const bad = (key: string, problem: string, fix = FIX) => problems.push(new OptionsError(Codes.BadConfig, problem, fix, at(key), key));
  const o = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};

  const known: readonly string[] = [...JAUNT_KEYS, ...HOST_KEYS];
  for (const key of Object.keys(o)) {
    if (known.includes(key)) continue;
    const near = suggestName(key, known);
    bad(key, `unknown option ${JSON.stringify(key)} in the jaunt-ts plugin entry.${near ? ` Did you mean "${near}"?` : ''}`,
      near ? `Rename it to "${near}", or remove it.`
        : `Remove it, or use one of Jaunt's options: ${JAUNT_KEYS.join(', ')} (ts-patch's keys such as "transform" are accepted too).`);
  }

  const mode = o.mode ?? 'auto';
  if (!MODES.includes(mode as GenerationMode)) {
    const near = typeof mode === 'string' ? suggestName(mode, MODES) : undefined;
    bad('mode', `option "mode" must be one of ${MODES.map((m) => `"${m}"`).join(', ')}, got ${JSON.stringify(mode)}.${near ? ` Did you mean "${near}"?` : ''}`);
  }
  const str = (key: string): string | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && v.trim() !== '') return v;
    bad(key, `option "${key}" must be a non-empty string, got ${JSON.stringify(v)}.`);
    return undefined;
  };
  const ints = {} as Record<IntOption, number>;
  for (const key of Object.keys(INT_RULES) as IntOption[]) {
    const problem = o[key] === undefined ? undefined : intProblem(key, o[key]);
    if (problem) bad(key, problem, `Set "${key}" within that range, or remove it for the default (${INT_RULES[key].fallback}).`);
    ints[key] = problem || o[key] === undefined ? INT_RULES[key].fallback : (o[key] as number);
  }
  const temperature = o.temperature ?? 0;
  if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 1)) {
    bad('temperature', `option "temperature" must be a number from 0 to 1, got ${JSON.stringify(temperature)}.`);
  }
  const outsideAllowed = o.allowCacheOutsideProject ?? false;
  if (typeof outsideAllowed !== 'boolean') bad('allowCacheOutsideProject', `option "allowCacheOutsideProject" must be true or false, got ${JSON.stringify(outsideAllowed)}.`);
  const tests = o.tests ?? false;
  if (typeof tests !== 'boolean') bad('tests', `option "tests" must be true or false, got ${JSON.stringify(tests)}.`);
  if (o.price !== undefined) {
    const problem = priceProblem(o.price);
    if (problem) bad('price', problem);
  }
  const providerRaw = o.provider ?? DEFAULT_PROVIDER;
  const provider = isProviderId(providerRaw) ? providerRaw : DEFAULT_PROVIDER;
  if (!isProviderId(providerRaw)) {
    const near = typeof providerRaw === 'string' ? suggestName(providerRaw, PROVIDER_IDS) : undefined;
    bad('provider', `option "provider" must be one of ${PROVIDER_IDS.map((p) => `"${p}"`).join(', ')}, got ${JSON.stringify(providerRaw)}.${near ? ` Did you mean "${near}"?` : ''}`);
  }
  const modelText = str('model');
  const defaultModel: string | undefined = PROVIDERS[provider].defaultModel;
  if (modelText === undefined && o.model === undefined && defaultModel === undefined) {
    problems.push(new OptionsError(Codes.ModelRequired, `provider "${provider}" has no default model and the jaunt-ts entry names none.`,
      'Add "model": "<the model id your server serves>" to the jaunt-ts entry of compilerOptions.plugins (or pass --model to jaunt).', at('provider'), 'model'));
  }
  const model = modelText ?? defaultModel ?? '';
  const configured = o.price !== undefined && !priceProblem(o.price) ? (o.price as Price) : undefined;
  const price = configured ?? tablePrice(model);
  let budget: number | undefined;
  if (o.budget !== undefined) {
    if (typeof o.budget !== 'number' || !Number.isFinite(o.budget) || o.budget <= 0) {
      bad('budget', `option "budget" must be a number of US dollars above 0, got ${JSON.stringify(o.budget)}.`, 'Set "budget" to e.g. 2.5 (USD per build), or remove it for no limit.');
    } else if (price === undefined) {
      problems.push(new OptionsError(Codes.BudgetNeedsPrice, `option "budget" is set, but Jaunt knows no price for model "${model}" to hold the build to it.`,
        'Add "price": { "input": <USD>, "output": <USD> } (per million tokens) to the jaunt-ts entry, or remove "budget".', at('budget'), 'budget'));
    } else {
      budget = o.budget;
    }
  }
  const cacheDirText = str('cacheDir');
  const cacheProblem = cacheDirProblem(cacheDirText ?? '.jaunt', projectDir, outsideAllowed === true);
  if (cacheProblem) {
    bad('cacheDir', cacheProblem, 'Use a folder inside the project, e.g. ".jaunt", or add "allowCacheOutsideProject": true to the jaunt-ts entry if the cache really lives elsewhere.');
  }
  const cacheDirFine = !cacheProblem && (o.cacheDir === undefined || cacheDirText !== undefined);
  const cacheDir = cacheDirFine ? path.resolve(projectDir, cacheDirText ?? '.jaunt') : undefined;

  let endpoint: Endpoint | undefined;
  let endpointProblem: OptionsError | undefined;
  try {
    endpoint = resolveEndpoint(o.baseURL, env, at('baseURL'), PROVIDERS[provider]);
  } catch (e) {
    if (!(e instanceof OptionsError)) throw e;
    endpointProblem = e;
    problems.push(e);
  }
  const options = problems.length === 0 && endpoint && cacheDir !== undefined
    ? {
        projectDir, cacheDir, mode: mode as GenerationMode, model, maxTokens: ints.maxTokens, temperature: temperature as number,
        timeoutMs: ints.timeoutMs, retries: ints.retries, attempts: ints.attempts, concurrency: ints.concurrency,
        baseURL: endpoint.baseURL, endpoint, provider, price, budget, tests: tests === true, exampleTimeoutMs: ints.exampleTimeoutMs,
      }
    : undefined;
  return { options, problems, endpoint, endpointProblem, cacheDir };
}

/**
 * The one validation of the plugin entry, for the plugin, its worker and the CLI. Throws the first problem
 * (an OptionsError, JAUNT4001 or an endpoint code) with its tsconfig location; `configFile` is the
 * tsconfig's path (tsc's `configFilePath`), used only to point at the offending line.
 */
export function resolveOptions(raw: unknown, projectDir: string, env: NodeJS.ProcessEnv = process.env, configFile?: unknown): ResolvedOptions {
  const report = inspectOptions(raw, projectDir, env, configFile);
  const [first, ...more] = report.problems;
  if (first) {
    if (more.length === 0) throw first;
    const also = `(${more.length} more problem${more.length === 1 ? '' : 's'} in the plugin entry: \`jaunt doctor\` lists them all.)`;
    throw new OptionsError(first.code, first.problem, `${first.fix} ${also}`, first.location, first.key);
  }
  return report.options!;
}
