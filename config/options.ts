import * as path from 'node:path';
import { Codes, JauntError } from '../core/errors';

export type GenerationMode = 'auto' | 'never' | 'force';

/** Settings from the tsconfig plugin entry (and CLI flags, which win). All optional. */
export interface JauntOptions {
  /** Cache folder, relative to the tsconfig's folder. Default ".jaunt". */
  cacheDir?: string;
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
  /** Anthropic API base URL; default: ANTHROPIC_BASE_URL or the SDK's. */
  baseURL?: string;
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
  baseURL: string | undefined;
}

/** A current Sonnet-class model that the pinned SDK does not flag as deprecated. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

const MODES: readonly GenerationMode[] = ['auto', 'never', 'force'];

function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new JauntError(Codes.BadConfig, `jaunt option "${name}" must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validates raw options (from JSON, so untrusted) and fills defaults. */
export function resolveOptions(raw: unknown, projectDir: string, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const mode = o.mode ?? 'auto';
  if (!MODES.includes(mode as GenerationMode)) {
    throw new JauntError(Codes.BadConfig, `jaunt option "mode" must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  }
  const str = (name: string): string | undefined => {
    const v = o[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new JauntError(Codes.BadConfig, `jaunt option "${name}" must be a non-empty string`);
    return v;
  };
  const temperature = o.temperature ?? 0;
  if (typeof temperature !== 'number' || temperature < 0 || temperature > 1) {
    throw new JauntError(Codes.BadConfig, `jaunt option "temperature" must be a number from 0 to 1`);
  }
  const retries = o.retries ?? 4;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0) {
    throw new JauntError(Codes.BadConfig, `jaunt option "retries" must be a whole number >= 0`);
  }
  return {
    projectDir,
    cacheDir: path.resolve(projectDir, str('cacheDir') ?? '.jaunt'),
    mode: mode as GenerationMode,
    model: str('model') ?? DEFAULT_MODEL,
    maxTokens: positiveInt('maxTokens', o.maxTokens, 4096),
    temperature,
    timeoutMs: positiveInt('timeoutMs', o.timeoutMs, 120_000),
    retries,
    attempts: positiveInt('attempts', o.attempts, 3),
    concurrency: positiveInt('concurrency', o.concurrency, 4),
    baseURL: str('baseURL') ?? (env.ANTHROPIC_BASE_URL || undefined),
  };
}
