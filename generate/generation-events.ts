/** What the engine reports while it works: the CLI draws a live display, tsc prints plain lines. */
export type GenerationEvent =
  | { type: 'start'; spec: string; attempt: number; attempts: number }
  | { type: 'retry'; spec: string; waitMs: number; reason: string }
  | { type: 'rejected'; spec: string; attempt: number; errors: string[] }
  /** `reused`: another build wrote the entry while this one waited for its lock; no request was sent. */
  | { type: 'done'; spec: string; inputTokens: number; outputTokens: number; ms: number; attempts: number; reused?: boolean }
  | { type: 'failed'; spec: string; reason: string }
  /** Another build holds the spec's lock (or held it and died): what this one does about it. */
  | { type: 'waiting'; spec: string; reason: string }
  /** The circuit breaker tripped: told once per run, with the whole explanation; the specs then fail. */
  | { type: 'halted'; reason: string }
  /** Worth telling, not a failure: a battery written or reused, battery tests dropped. */
  | { type: 'note'; spec: string; message: string };

export interface SpecOutcome {
  id: string;
  name: string;
  status: 'generated' | 'failed' | 'skipped';
  /** For failures: the JAUNT code of the cause (provider, cache write, or validation). */
  code?: number;
  inputTokens: number;
  outputTokens: number;
  attempts: number;
  /** Generated only: the model that answered, as its reply named it. */
  model?: string;
  /** Entry path when generated; the reason otherwise. */
  detail: string;
}

export interface GenerationReport {
  outcomes: SpecOutcome[];
  inputTokens: number;
  outputTokens: number;
  wallMs: number;
  /** With a budget: the limit, what the replies cost at list prices, and the specs it kept from being sent. */
  budget?: { limitUsd: number; spentUsd: number; refused: string[] };
}
