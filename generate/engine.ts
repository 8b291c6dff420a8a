import * as fs from 'node:fs';
import type * as TS from 'typescript';
import { lookupEntry } from '../cache/cache-store';
import { acquireSpecLock } from '../cache/spec-lock';
import type { ResolvedOptions } from '../config/options';
import { PROVIDERS } from '../config/providers';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { Codes } from '../core/errors';
import { createValidator, validatorOptionsOf } from '../validate/validate-candidate';
import { Budget } from './budget';
import { readPackageDeps } from './build-prompt';
import { CircuitBreaker, describeEndpoint } from './circuit-breaker';
import { jobsFor, programValidator, type GenerationJob, type JobValidator } from './generation-job';
import type { GenerationEvent, GenerationReport, SpecOutcome } from './generation-events';
import type { Provider } from './provider';
import { createProvider } from './providers';
import { redactSecret } from './retry-policy';
import { runDag, type DagTask, type TaskSlot } from './scheduler';
import { SpecFailure, attemptSpec, type Attempted, type Stop } from './spec-attempts';
import { ensureBattery } from './spec-battery';

/** The engine's input as plain data and a validator: what the tsc plugin's worker receives. */
export interface RunInput {
  /** The specs to write; their dependencies outside this list are taken as already cached. */
  jobs: GenerationJob[];
  options: ResolvedOptions;
  apiKey: string;
  validator: JobValidator;
  /** Replace hand-edited entries too (explicit user request only). */
  force?: boolean;
  onEvent?: (e: GenerationEvent) => void;
  /** Defaults to the provider the options name. */
  provider?: Provider;
  /** TypeScript, for reading battery replies (`tests: true`); loaded when first needed if not given. */
  ts?: typeof TS;
}

/** The engine's input where a program is at hand (the CLI, tests). */
export interface EngineInput extends Omit<RunInput, 'jobs' | 'validator'> {
  ts: typeof TS;
  program: TS.Program;
  analysis: ProgramAnalysis;
  specs: AnalyzedSpec[];
}

/** When this process started: an entry written since, by another process, was written during this build. */
const PROCESS_START = Date.now() - process.uptime() * 1000;
/** Entries this process wrote itself (watch mode runs the engine many times): never "another build's". */
const writtenHere = new Set<string>();

/** Generates `specs` of a program: their jobs and the program's validator, then runGeneration. */
export async function generateImplementations(input: EngineInput): Promise<GenerationReport> {
  const { ts, program, analysis, specs, ...rest } = input;
  const { options } = rest;
  const jobs = jobsFor(ts, program, analysis, specs, readPackageDeps(options.projectDir), { tests: options.tests });
  const validator = createValidator(ts, program, analysis, validatorOptionsOf(options));
  return runGeneration({ ...rest, ts, jobs, validator: programValidator(validator, analysis) });
}

/**
 * The generation engine shared by the CLI and the tsc worker: schedules the jobs' DAG, asks the model,
 * validates each candidate (repairing with the compiler's errors as a conversation), and persists each
 * success at once. Each spec is generated under its cache lock, so concurrent builds of one project pay
 * for it once.
 */
export async function runGeneration(input: RunInput): Promise<GenerationReport> {
  const { options, validator } = input;
  const started = Date.now();
  const emit = input.onEvent ?? (() => undefined);
  const info = PROVIDERS[options.provider];
  // One breaker per run, across every spec: a dead endpoint fails the run in two waves of timeouts, not hours.
  const breaker = new CircuitBreaker({
    endpoint: redactSecret(describeEndpoint(options.baseURL ?? info.defaultEndpoint), input.apiKey),
    label: info.label, baseUrlEnv: info.baseUrlEnv,
    onOpen: (reason) => emit({ type: 'halted', reason }),
  });
  const provider = input.provider ?? createProvider(options.provider, {
    apiKey: input.apiKey, baseURL: options.baseURL, model: options.model, maxTokens: options.maxTokens,
    temperature: options.temperature, timeoutMs: options.timeoutMs, retries: options.retries, breaker,
    onRetry: (r) => emit({ type: 'retry', spec: r.spec, waitMs: r.waitMs, reason: r.reason }),
  });
  const budget = options.budget !== undefined && options.price ? new Budget(options.budget, options.price) : undefined;
  let stopped: Stop | undefined;
  const context = {
    options, provider, validator, budget, force: input.force, emit,
    stopFor: (spec: string): Stop | undefined => stopped ?? breaker.errorFor(spec),
    stopAll: (stop: Stop) => void (stopped ??= stop),
    wrote: (file: string) => void writtenHere.add(file),
  };

  /** The entry another build wrote for this spec while we waited (or since this process started), if it checks. */
  const reuseFresh = async (job: GenerationJob): Promise<Attempted | undefined> => {
    const lookup = lookupEntry(options.cacheDir, job.name, job.hash);
    if (lookup.status !== 'hit' || writtenHere.has(lookup.path)) return undefined;
    let mtime: number;
    try {
      mtime = fs.statSync(lookup.path).mtimeMs;
    } catch {
      return undefined;
    }
    // An older entry is the one the plan chose to replace (stale, or --force).
    if (mtime < PROCESS_START) return undefined;
    return (await validator.validate(job, lookup.body)).ok ? { entry: lookup.path, inputTokens: 0, outputTokens: 0, attempts: 0 } : undefined;
  };

  /** `tests: true`: the spec's battery first (one request of its own), its tokens counted with the spec's. */
  const loadTs = (): typeof TS => (input.ts ??= require('typescript') as typeof TS);
  const withBattery = async (job: GenerationJob, slot: TaskSlot): Promise<Attempted> => {
    const battery = job.battery && !context.stopFor(job.name)
      ? await ensureBattery({ ts: loadTs, options, provider, emit }, { ...job, battery: job.battery }) : undefined;
    if (!battery) return attemptSpec(context, job, slot);
    const add = { inputTokens: battery.inputTokens, outputTokens: battery.outputTokens };
    try {
      const done = await attemptSpec(context, job, slot);
      return { ...done, inputTokens: done.inputTokens + add.inputTokens, outputTokens: done.outputTokens + add.outputTokens };
    } catch (e) {
      if (!(e instanceof SpecFailure)) throw e;
      throw new SpecFailure(e.message, e.inputTokens + add.inputTokens, e.outputTokens + add.outputTokens, e.attempts, e.fatal, e.code);
    }
  };

  const byId = new Map(input.jobs.map((j) => [j.id, j]));
  const nameOf = (id: string): string => byId.get(id)?.name ?? id;
  const tasks: DagTask<Attempted>[] = input.jobs.map((job) => ({
    id: job.id,
    // A test is written from contracts: it neither waits for its specs' implementations nor fails with them.
    deps: job.fromContractsOnly ? [] : job.deps.filter((d) => byId.has(d)),
    run: async (slot) => {
      const t0 = Date.now();
      const name = job.name;
      const lock = await acquireSpecLock(options.cacheDir, name, job.hash, {
        onWait: (owner) => emit({ type: 'waiting', spec: name, reason: `another build${owner ? ` (pid ${owner.pid})` : ''} is generating it; waiting for its entry` }),
        onRecover: (why) => emit({ type: 'waiting', spec: name, reason: `took over a stale lock: ${why}` }),
      });
      try {
        const shared = await reuseFresh(job);
        const done = shared ?? await withBattery(job, slot);
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
      const name = nameOf(id);
      if (outcome.status === 'failed') emit({ type: 'failed', spec: name, reason: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) });
      if (outcome.status === 'skipped') emit({ type: 'failed', spec: name, reason: `dependency ${nameOf(outcome.failedDependency)} failed` });
    },
  });

  const outcomes: SpecOutcome[] = input.jobs.map((job) => {
    const r = results.get(job.id);
    const base = { id: job.id, name: job.name };
    if (r?.status === 'done') return { ...base, status: 'generated', ...r.value, detail: r.value.entry };
    if (r?.status === 'failed') {
      const f = r.error instanceof SpecFailure ? r.error : undefined;
      return { ...base, status: 'failed', code: f?.code ?? Codes.GenerationFailed, inputTokens: f?.inputTokens ?? 0, outputTokens: f?.outputTokens ?? 0, attempts: f?.attempts ?? 0,
        detail: r.error instanceof Error ? r.error.message : String(r.error) };
    }
    const dep = r?.status === 'skipped' ? nameOf(r.failedDependency) : 'unknown';
    return { ...base, status: 'skipped', inputTokens: 0, outputTokens: 0, attempts: 0, detail: `dependency ${dep} failed` };
  });
  return {
    outcomes,
    inputTokens: outcomes.reduce((n, o) => n + o.inputTokens, 0),
    outputTokens: outcomes.reduce((n, o) => n + o.outputTokens, 0),
    wallMs: Date.now() - started,
    ...(budget ? { budget: { limitUsd: budget.limitUsd, spentUsd: budget.spentUsd, refused: [...budget.refused] } } : {}),
  };
}
