/**
 * One spec's generation as a conversation: ask, check the reply, validate, persist, and on failure answer
 * the model with what was wrong (its answer and the errors as the next turns), up to the attempt budget. A
 * reply cut off at max_tokens is asked again once with more room (not an attempt: the answer was never
 * judged); an oversized reply is a failed attempt.
 */
import { writeEntry } from '../cache/cache-store';
import type { ResolvedOptions } from '../config/options';
import { costUsd } from '../config/cost';
import { Codes, JauntError } from '../core/errors';
import type { Budget } from './budget';
import { repairTurns } from './build-prompt';
import type { GenerationJob, JobValidator } from './generation-job';
import type { GenerationEvent } from './generation-events';
import { extractCode } from './parse-reply';
import type { ChatTurn, Completion, Provider } from './provider';
import type { TaskSlot } from './scheduler';
import { feedbackCandidate, moreRoom } from './reply-limits';

export type Attempted = { entry: string; inputTokens: number; outputTokens: number; attempts: number; model?: string };

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
  options: ResolvedOptions;
  provider: Provider;
  validator: JobValidator;
  /** When set, every request must fit in it first. */
  budget?: Budget;
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

/** Failed rounds kept in the conversation: enough to see what was tried, bounded so retries stay cheap (estimate.ts counts on it). */
const ROUNDS_KEPT = 2;

const chars = (system: string, user: string, turns: readonly ChatTurn[]): number =>
  turns.reduce((n, t) => n + t.content.length, system.length + user.length);

/**
 * `slot`: the spec's share of the concurrency, which limits requests in flight. It is held for each request
 * and given back while the answer is checked, so the next spec's request need not wait for this check.
 */
export async function attemptSpec(c: AttemptContext, job: GenerationJob, slot?: TaskSlot): Promise<Attempted> {
  const name = job.name;
  const { options } = c;
  const { system, user } = job.prompt;
  let inputTokens = 0;
  let outputTokens = 0;
  let room = options.maxTokens;
  let grown = false;
  let turns: ChatTurn[] = [];
  let lastErrors: string[] | undefined;
  let lastTooLarge = false;
  const fail = (message: string, attempts: number, code: number = Codes.GenerationFailed, fatal = false): SpecFailure =>
    new SpecFailure(message, inputTokens, outputTokens, attempts, fatal, code);

  /** One request, within the budget when there is one: reserved at its worst case, settled at its real cost. */
  const send = async (n: number): Promise<Completion> => {
    await slot?.acquire();
    try {
      return await sendHoldingSlot(n);
    } finally {
      slot?.release();
    }
  };
  const sendHoldingSlot = async (n: number): Promise<Completion> => {
    const request = { spec: name, system, user, messages: turns, maxTokens: room };
    if (!c.budget) return c.provider.complete(request);
    const reserved = await c.budget.reserve(name, c.budget.worstCase(chars(system, user, turns), room));
    if (!reserved.ok) throw fail(reserved.reason, n - 1, Codes.BudgetExhausted);
    try {
      const reply = await c.provider.complete(request);
      reserved.reservation.settle(costUsd(c.budget.price, reply.inputTokens, reply.outputTokens));
      return reply;
    } catch (e) {
      // An oversized answer was written, and paid for, in full: charge its worst case. Other failures are not billed.
      reserved.reservation.settle(e instanceof JauntError && e.code === Codes.ReplyTooLarge ? reserved.reservation.worstUsd : 0);
      throw e;
    }
  };

  /** One judged answer: a cut-off one is asked again once, with twice the room up to MAX_TOKENS_CEILING. */
  const ask = async (n: number): Promise<Completion> => {
    for (;;) {
      const reply = await send(n);
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
    turns = [...turns, ...repairTurns(tooLarge ? NOT_KEPT : feedbackCandidate(candidate), errors)].slice(-2 * ROUNDS_KEPT);
    lastErrors = errors;
    lastTooLarge = tooLarge;
  };

  for (let n = 1; n <= options.attempts; n++) {
    const stop = c.stopFor(name);
    if (stop) throw fail(stop.message, n - 1, stop.code, true);
    c.emit({ type: 'start', spec: name, attempt: n, attempts: options.attempts });
    let reply: Completion;
    try {
      reply = await ask(n);
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
    // The job validator type-checks the candidate as it ships and runs its examples (and battery), sandboxed.
    const result = code.ok ? await c.validator.validate(job, code.code) : { ok: false as const, errors: [code.reason] };
    for (const message of result.notes ?? []) c.emit({ type: 'note', spec: name, message });
    if (!result.ok) {
      reject(n, code.ok ? code.code : reply.text, result.errors, !code.ok && code.tooLarge === true);
      continue;
    }
    try {
      // The model that answered, as its reply names it (an alias resolves to a dated id; a gateway may route).
      const entry = writeEntry(options.cacheDir, {
        name, hash: job.hash, file: job.file, model: reply.model, provider: options.provider, body: result.body,
        inputTokens, outputTokens, attempts: n, inputs: job.inputs, examples: result.examples,
      }, { force: c.force });
      c.wrote(entry);
      return { entry, inputTokens, outputTokens, attempts: n, model: reply.model };
    } catch (e) {
      if (!(e instanceof JauntError)) throw e;
      // A cache that cannot be written fails every spec: stop paying for answers that would be lost.
      if (e.code === Codes.CacheWriteFailed) c.stopAll({ code: Codes.GenerationFailed, message: `not attempted: ${e.message}` });
      throw fail(e.message, n, e.code, e.code === Codes.CacheWriteFailed);
    }
  }
  const last = lastErrors?.slice(0, 5).join('; ') ?? 'no answer';
  throw fail(`no valid implementation after ${options.attempts} attempts; last errors: ${last}. Next: make the contract more precise where `
    + `these errors show answers going wrong, raise "attempts", or write it yourself with \`jaunt author ${name} --from <file>\``, options.attempts,
    lastTooLarge ? Codes.ReplyTooLarge : Codes.GenerationFailed);
}
