/**
 * What generating a job is expected to cost before anything is sent (`jaunt build --plan`): its prompt
 * measured in characters, and an answer the size of the entry it replaces (or a typical one).
 */
import { estimateTokens } from '../config/cost';
import type { GenerationJob } from './generation-job';

/** A typical answer: one function and a helper or two in a code block, about 2 KB. */
export const TYPICAL_ANSWER_TOKENS = 500;
/** What one repair round adds to the next request besides the rejected answer: the errors and the ask. */
const FEEDBACK_TOKENS = 256;
/** Rounds kept in a repair conversation (spec-attempts.ts ROUNDS_KEPT). */
const ROUNDS_KEPT = 2;

export interface JobEstimate {
  /** The first attempt, answered at the expected size. */
  inputTokens: number;
  outputTokens: number;
  /** Every attempt used, every answer at maxTokens (a cut-off answer's one retry with more room aside). */
  worstInputTokens: number;
  worstOutputTokens: number;
}

export function estimateJob(job: GenerationJob, o: { maxTokens: number; attempts: number }, previousBody?: string): JobEstimate {
  const inputTokens = estimateTokens(job.prompt.system.length + job.prompt.user.length);
  // The answer fences the code and may say a sentence: a little over the body.
  const expected = previousBody !== undefined ? estimateTokens(previousBody.length + 40) : TYPICAL_ANSWER_TOKENS;
  let worstIn = 0;
  for (let k = 0; k < o.attempts; k++) worstIn += inputTokens + Math.min(k, ROUNDS_KEPT) * (o.maxTokens + FEEDBACK_TOKENS);
  return { inputTokens, outputTokens: Math.min(expected, o.maxTokens), worstInputTokens: worstIn, worstOutputTokens: o.attempts * o.maxTokens };
}
