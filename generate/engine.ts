import * as fs from 'node:fs';
import type * as TS from 'typescript';
import { lookupEntry } from '../cache/cache-store';
import { acquireSpecLock } from '../cache/spec-lock';
import type { ResolvedOptions } from '../config/options';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { Codes } from '../core/errors';
import { createValidator } from '../validate/validate-candidate';
import { kindOf } from '../spec-kinds/spec-kind';
import { readPackageDeps } from './build-prompt';
import { CircuitBreaker, describeEndpoint } from './circuit-breaker';
import type { GenerationEvent, GenerationReport, SpecOutcome } from './generation-events';
import { createAnthropicProvider, redactSecret, type Provider } from './provider';
import { runDag, type DagTask } from './scheduler';
import { SpecFailure, attemptSpec, type Attempted, type Stop } from './spec-attempts';
import { ensureBattery } from './spec-battery';

export interface EngineInput {
  ts: typeof TS;
  program: TS.Program;
  analysis: ProgramAnalysis;
  /** The specs to write; their dependencies outside this list are taken as already cached. */
  specs: AnalyzedSpec[];
  options: ResolvedOptions;
  apiKey: string;
  /** Replace hand-edited entries too (explicit user request only). */
  force?: boolean;
  onEvent?: (e: GenerationEvent) => void;
  /** Defaults to the Anthropic provider built from options. */
  provider?: Provider;
}

/** The SDK's endpoint when neither the baseURL option nor ANTHROPIC_BASE_URL names one. */
const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** When this process started: an entry written since, by another process, was written during this build. */
const PROCESS_START = Date.now() - process.uptime() * 1000;
/** Entries this process wrote itself (watch mode runs the engine many times): never "another build's". */
const writtenHere = new Set<string>();

/**
 * The generation engine shared by the CLI and the tsc worker: schedules the specs' DAG, asks the model,
 * validates each candidate (retrying with the compiler's errors), and persists each success at once.
 * Each spec is generated under its cache lock, so concurrent builds of one project pay for it once.
 */
export async function generateImplementations(input: EngineInput): Promise<GenerationReport> {
  const { ts, program, analysis, options } = input;
  const started = Date.now();
  const emit = input.onEvent ?? (() => undefined);
  // One breaker per run, across every spec: a dead endpoint fails the run in two waves of timeouts, not hours.
  const breaker = new CircuitBreaker({
    endpoint: redactSecret(describeEndpoint(options.baseURL ?? DEFAULT_BASE_URL), input.apiKey),
    onOpen: (reason) => emit({ type: 'halted', reason }),
  });
  const provider = input.provider ?? createAnthropicProvider({
    apiKey: input.apiKey, baseURL: options.baseURL, model: options.model, maxTokens: options.maxTokens,
    temperature: options.temperature, timeoutMs: options.timeoutMs, retries: options.retries, breaker,
    onRetry: (r) => emit({ type: 'retry', spec: r.spec, waitMs: r.waitMs, reason: r.reason }),
  });
  const validator = createValidator(ts, program, analysis, { cacheDir: options.cacheDir, tests: options.tests });
  let stopped: Stop | undefined;
  const context = {
    ts, program, analysis, options, provider, validator, force: input.force, emit,
    packageDeps: readPackageDeps(options.projectDir),
    stopFor: (spec: string): Stop | undefined => stopped ?? breaker.errorFor(spec),
    stopAll: (stop: Stop) => void (stopped ??= stop),
    wrote: (file: string) => void writtenHere.add(file),
  };

  /** The entry another build wrote for this spec while we waited (or since this process started), if it checks. */
  const reuseFresh = (spec: AnalyzedSpec): Attempted | undefined => {
    const lookup = lookupEntry(options.cacheDir, spec.ir.name, spec.hash!);
    if (lookup.status !== 'hit' || writtenHere.has(lookup.path)) return undefined;
    let mtime: number;
    try {
      mtime = fs.statSync(lookup.path).mtimeMs;
    } catch {
      return undefined;
    }
    // An older entry is the one the plan chose to replace (stale, or --force).
    if (mtime < PROCESS_START) return undefined;
    return validator.validate(spec, lookup.body).ok ? { entry: lookup.path, inputTokens: 0, outputTokens: 0, attempts: 0 } : undefined;
  };

  /** `tests: true`: the spec's battery first (one request of its own), its tokens counted with the spec's. */
  const withBattery = async (spec: AnalyzedSpec): Promise<Attempted> => {
    const battery = options.tests && !context.stopFor(spec.ir.name) ? await ensureBattery(context, spec) : undefined;
    if (!battery) return attemptSpec(context, spec);
    const add = { inputTokens: battery.inputTokens, outputTokens: battery.outputTokens };
    try {
      const done = await attemptSpec(context, spec);
      return { ...done, inputTokens: done.inputTokens + add.inputTokens, outputTokens: done.outputTokens + add.outputTokens };
    } catch (e) {
      if (!(e instanceof SpecFailure)) throw e;
      throw new SpecFailure(e.message, e.inputTokens + add.inputTokens, e.outputTokens + add.outputTokens, e.attempts, e.fatal, e.code);
    }
  };

  const wanted = new Set(input.specs.map((s) => s.id));
  const tasks: DagTask<Attempted>[] = input.specs.map((spec) => ({
    id: spec.id,
    // A test is written from contracts: it neither waits for its specs' implementations nor fails with them.
    deps: kindOf(spec.found)?.fromContractsOnly ? [] : spec.ir.deps.filter((d) => wanted.has(d)),
    run: async () => {
      const t0 = Date.now();
      const name = spec.ir.name;
      const lock = await acquireSpecLock(options.cacheDir, name, spec.hash!, {
        onWait: (owner) => emit({ type: 'waiting', spec: name, reason: `another build${owner ? ` (pid ${owner.pid})` : ''} is generating it; waiting for its entry` }),
        onRecover: (why) => emit({ type: 'waiting', spec: name, reason: `took over a stale lock: ${why}` }),
      });
      try {
        const shared = reuseFresh(spec);
        const done = shared ?? await withBattery(spec);
        emit({ type: 'done', spec: name, inputTokens: done.inputTokens, outputTokens: done.outputTokens, ms: Date.now() - t0, attempts: done.attempts, reused: shared !== undefined });
        return done;
      } finally {
        lock?.release();
      }
    },
  }));
  const results = await runDag(tasks, {
    concurrency: options.concurrency,
    onFinish: (id, outcome) => {
      const name = analysis.byId.get(id)!.ir.name;
      if (outcome.status === 'failed') emit({ type: 'failed', spec: name, reason: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) });
      if (outcome.status === 'skipped') emit({ type: 'failed', spec: name, reason: `dependency ${analysis.byId.get(outcome.failedDependency)?.ir.name ?? outcome.failedDependency} failed` });
    },
  });

  const outcomes: SpecOutcome[] = input.specs.map((spec) => {
    const r = results.get(spec.id);
    const base = { id: spec.id, name: spec.ir.name };
    if (r?.status === 'done') return { ...base, status: 'generated', ...r.value, detail: r.value.entry };
    if (r?.status === 'failed') {
      const f = r.error instanceof SpecFailure ? r.error : undefined;
      return { ...base, status: 'failed', code: f?.code ?? Codes.GenerationFailed, inputTokens: f?.inputTokens ?? 0, outputTokens: f?.outputTokens ?? 0, attempts: f?.attempts ?? 0,
        detail: r.error instanceof Error ? r.error.message : String(r.error) };
    }
    const dep = r?.status === 'skipped' ? analysis.byId.get(r.failedDependency)?.ir.name ?? r.failedDependency : 'unknown';
    return { ...base, status: 'skipped', inputTokens: 0, outputTokens: 0, attempts: 0, detail: `dependency ${dep} failed` };
  });
  return {
    outcomes,
    inputTokens: outcomes.reduce((n, o) => n + o.inputTokens, 0),
    outputTokens: outcomes.reduce((n, o) => n + o.outputTokens, 0),
    wallMs: Date.now() - started,
  };
}
