import type * as TS from 'typescript';
import { writeEntry } from '../cache/cache-store';
import type { ResolvedOptions } from '../config/options';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { Codes, JauntError } from '../core/errors';
import { buildPrompt, readPackageDeps } from './build-prompt';
import type { GenerationEvent, GenerationReport, SpecOutcome } from './generation-events';
import { extractCode } from './parse-reply';
import { createAnthropicProvider, type Provider } from './provider';
import { runDag, type DagTask } from './scheduler';
import { createValidator } from '../validate/validate-candidate';
import { formatInputs } from '../spec/spec-hash';

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

type Attempted = { entry: string; inputTokens: number; outputTokens: number; attempts: number };

/** Thrown inside a task so its outcome carries the counts spent before it failed. */
class SpecFailure extends Error {
  constructor(
    message: string, readonly inputTokens: number, readonly outputTokens: number, readonly attempts: number,
    readonly fatal: boolean, readonly code: number = Codes.GenerationFailed,
  ) {
    super(message);
  }
}

/**
 * The generation engine shared by the CLI and the tsc worker: schedules the specs' DAG, asks the model,
 * validates each candidate (retrying with the compiler's errors), and persists each success at once.
 */
export async function generateImplementations(input: EngineInput): Promise<GenerationReport> {
  const { ts, program, analysis, options } = input;
  const started = Date.now();
  const emit = input.onEvent ?? (() => undefined);
  const provider = input.provider ?? createAnthropicProvider({
    apiKey: input.apiKey, baseURL: options.baseURL, model: options.model, maxTokens: options.maxTokens,
    temperature: options.temperature, timeoutMs: options.timeoutMs, retries: options.retries,
    onRetry: (r) => emit({ type: 'retry', spec: r.spec, waitMs: r.waitMs, reason: r.reason }),
  });
  const validator = createValidator(ts, program, analysis);
  const packageDeps = readPackageDeps(options.projectDir);
  // One bad key fails every request: stop sending after the first.
  let fatal: string | undefined;

  const attempt = async (spec: AnalyzedSpec): Promise<Attempted> => {
    let inputTokens = 0;
    let outputTokens = 0;
    let previous: { candidate: string; errors: string[] } | undefined;
    for (let n = 1; n <= options.attempts; n++) {
      if (fatal) throw new SpecFailure(`not attempted: ${fatal}`, inputTokens, outputTokens, n - 1, true);
      emit({ type: 'start', spec: spec.ir.name, attempt: n, attempts: options.attempts });
      const prompt = buildPrompt(ts, program, analysis, spec, { packageDeps, previous });
      let text: string;
      try {
        const reply = await provider.complete({ spec: spec.ir.name, system: prompt.system, user: prompt.user });
        inputTokens += reply.inputTokens;
        outputTokens += reply.outputTokens;
        text = reply.text;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (e instanceof JauntError && e.code === Codes.ProviderAuth) fatal = message;
        const code = e instanceof JauntError ? e.code : Codes.GenerationFailed;
        throw new SpecFailure(message, inputTokens, outputTokens, n, code === Codes.ProviderAuth, code);
      }
      const code = extractCode(text, spec.ir.name);
      const result = code.ok ? validator.validate(spec, code.code) : { ok: false as const, errors: [code.reason] };
      if (result.ok) {
        try {
          const entry = writeEntry(options.cacheDir, {
            name: spec.ir.name, hash: spec.hash!, file: spec.ir.file, model: options.model, body: result.body,
            inputTokens, outputTokens, attempts: n, inputs: spec.inputs && formatInputs(spec.inputs),
          }, { force: input.force });
          return { entry, inputTokens, outputTokens, attempts: n };
        } catch (e) {
          if (!(e instanceof JauntError)) throw e;
          // A cache that cannot be written fails every spec: stop paying for answers that would be lost.
          if (e.code === Codes.CacheWriteFailed) fatal = e.message;
          throw new SpecFailure(e.message, inputTokens, outputTokens, n, e.code === Codes.CacheWriteFailed, e.code);
        }
      }
      emit({ type: 'rejected', spec: spec.ir.name, attempt: n, errors: result.errors });
      previous = { candidate: code.ok ? code.code : text, errors: result.errors };
    }
    const last = previous?.errors.slice(0, 5).join('; ') ?? 'no answer';
    throw new SpecFailure(`no valid implementation after ${options.attempts} attempts; last errors: ${last}`,
      inputTokens, outputTokens, options.attempts, false);
  };

  const wanted = new Set(input.specs.map((s) => s.id));
  const tasks: DagTask<Attempted>[] = input.specs.map((spec) => ({
    id: spec.id,
    deps: spec.ir.deps.filter((d) => wanted.has(d)),
    run: async () => {
      const t0 = Date.now();
      const done = await attempt(spec);
      emit({ type: 'done', spec: spec.ir.name, inputTokens: done.inputTokens, outputTokens: done.outputTokens, ms: Date.now() - t0, attempts: done.attempts });
      return done;
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
