/**
 * One spec's generation: ask, check the reply, validate, persist, and on failure ask again with the
 * compiler's errors, up to the attempt budget. A reply cut off at max_tokens is asked again once with more
 * room (not an attempt: the answer was never judged); an oversized reply is a failed attempt.
 */
import type * as TS from 'typescript';
import { writeEntry } from '../cache/cache-store';
import type { ResolvedOptions } from '../config/options';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { Codes, JauntError } from '../core/errors';
import { formatInputs } from '../spec/spec-hash';
import type { Validator } from '../validate/validate-candidate';
import { buildPrompt } from './build-prompt';
import type { GenerationEvent } from './generation-events';
import { extractCode } from './parse-reply';
import type { Completion, Provider } from './provider';
import { feedbackCandidate, moreRoom } from './reply-limits';

export type Attempted = { entry: string; inputTokens: number; outputTokens: number; attempts: number };

/** Thrown inside a task so its outcome carries the counts spent before it failed. */
export class SpecFailure extends Error {
  constructor(
    message: string, readonly inputTokens: number, readonly outputTokens: number, readonly attempts: number,
    readonly fatal: boolean, readonly code: number = Codes.GenerationFailed,
  ) {
    super(message);
  }
}

/** Why no spec should send another request: a rejected key, an unwritable cache, an open breaker. */
export interface Stop {
  code: number;
  message: string;
}

export interface AttemptContext {
  ts: typeof TS;
  program: TS.Program;
  analysis: ProgramAnalysis;
  options: ResolvedOptions;
  provider: Provider;
  validator: Validator;
  packageDeps: readonly string[];
  force?: boolean;
  emit(e: GenerationEvent): void;
  /** The reason to stop before asking for `spec`, if there is one. */
  stopFor(spec: string): Stop | undefined;
  /** Records a failure that dooms every later request of the run. */
  stopAll(stop: Stop): void;
  /** Told of each entry written, so the run can tell its own entries from other builds'. */
  wrote(file: string): void;
}

function truncatedMessage(option: number, room: number, grown: boolean): string {
  const what = grown
    ? `the answer was cut off at max_tokens again (the maxTokens option is ${option}; the retry allowed ${room})`
    : `the answer was cut off at max_tokens ${room} (the maxTokens option), and ${room} is already the most a retry gets`;
  return `${what}: raise "maxTokens" in the plugin entry (e.g. "maxTokens": ${Math.max(room * 2, option * 4)}) or make the spec smaller`;
}

/** A rejected answer that is not kept, so nothing of it goes back to the model. */
const NOT_KEPT = '// (the previous answer is not shown: it was over the size limit)';

export async function attemptSpec(c: AttemptContext, spec: AnalyzedSpec): Promise<Attempted> {
  const name = spec.ir.name;
  const { options } = c;
  let inputTokens = 0;
  let outputTokens = 0;
  let room = options.maxTokens;
  let grown = false;
  let previous: { candidate: string; errors: string[] } | undefined;
  let lastTooLarge = false;
  const fail = (message: string, attempts: number, code: number = Codes.GenerationFailed, fatal = false): SpecFailure =>
    new SpecFailure(message, inputTokens, outputTokens, attempts, fatal, code);

  /** One judged answer: a cut-off one is asked again once, with twice the room up to MAX_TOKENS_CEILING. */
  const ask = async (system: string, user: string, n: number): Promise<Completion> => {
    for (;;) {
      const reply = await c.provider.complete({ spec: name, system, user, maxTokens: room });
      inputTokens += reply.inputTokens;
      outputTokens += reply.outputTokens;
      if (reply.stopReason !== 'max_tokens') return reply;
      const next = grown ? undefined : moreRoom(room);
      if (next === undefined) throw fail(truncatedMessage(options.maxTokens, room, grown), n, Codes.ReplyTruncated);
      c.emit({ type: 'retry', spec: name, waitMs: 0, reason: `the answer was cut off at max_tokens ${room}; asking again with max_tokens ${next}` });
      // Kept for the later attempts of this spec: it has shown it needs the room.
      room = next;
      grown = true;
    }
  };

  const reject = (n: number, candidate: string, errors: string[], tooLarge: boolean): void => {
    c.emit({ type: 'rejected', spec: name, attempt: n, errors });
    previous = { candidate: tooLarge ? NOT_KEPT : feedbackCandidate(candidate), errors };
    lastTooLarge = tooLarge;
  };

  for (let n = 1; n <= options.attempts; n++) {
    const stop = c.stopFor(name);
    if (stop) throw fail(stop.message, n - 1, stop.code, true);
    c.emit({ type: 'start', spec: name, attempt: n, attempts: options.attempts });
    const prompt = buildPrompt(c.ts, c.program, c.analysis, spec, { packageDeps: c.packageDeps, previous });
    let reply: Completion;
    try {
      reply = await ask(prompt.system, prompt.user, n);
    } catch (e) {
      if (e instanceof SpecFailure) throw e;
      if (e instanceof JauntError && e.code === Codes.ReplyTooLarge) {
        reject(n, '', [e.message], true);
        continue;
      }
      const message = e instanceof Error ? e.message : String(e);
      const code = e instanceof JauntError ? e.code : Codes.GenerationFailed;
      // One bad key fails every request: stop sending after the first.
      if (code === Codes.ProviderAuth) c.stopAll({ code: Codes.GenerationFailed, message: `not attempted: ${message}` });
      throw fail(message, n, code, code === Codes.ProviderAuth);
    }
    if (reply.stopReason === 'refusal') {
      reject(n, reply.text, ['the model declined to answer (stop_reason "refusal"); answer with the implementation in one ```ts block'], false);
      continue;
    }
    const code = extractCode(reply.text, name);
    const result = code.ok ? c.validator.validate(spec, code.code) : { ok: false as const, errors: [code.reason] };
    if (!result.ok) {
      reject(n, code.ok ? code.code : reply.text, result.errors, !code.ok && code.tooLarge === true);
      continue;
    }
    // Behaviour is part of the contract: the examples run, sandboxed, before anything is cached.
    const behaviour = await c.validator.checkBehaviour(spec, result.body);
    for (const message of behaviour.notes ?? []) c.emit({ type: 'note', spec: name, message });
    if (!behaviour.ok) {
      reject(n, result.body, behaviour.errors, false);
      continue;
    }
    try {
      const entry = writeEntry(options.cacheDir, {
        name, hash: spec.hash!, file: spec.ir.file, model: options.model, body: result.body,
        inputTokens, outputTokens, attempts: n, inputs: spec.inputs && formatInputs(spec.inputs),
        ...(behaviour.passed > 0 ? { examples: behaviour.passed } : {}),
      }, { force: c.force });
      c.wrote(entry);
      return { entry, inputTokens, outputTokens, attempts: n };
    } catch (e) {
      if (!(e instanceof JauntError)) throw e;
      // A cache that cannot be written fails every spec: stop paying for answers that would be lost.
      if (e.code === Codes.CacheWriteFailed) c.stopAll({ code: Codes.GenerationFailed, message: `not attempted: ${e.message}` });
      throw fail(e.message, n, e.code, e.code === Codes.CacheWriteFailed);
    }
  }
  const last = previous?.errors.slice(0, 5).join('; ') ?? 'no answer';
  throw fail(`no valid implementation after ${options.attempts} attempts; last errors: ${last}. Next: make the contract more precise where `
    + `these errors show answers going wrong, raise "attempts", or write it yourself with \`jaunt author ${name} --from <file>\``, options.attempts,
    lastTooLarge ? Codes.ReplyTooLarge : Codes.GenerationFailed);
}
