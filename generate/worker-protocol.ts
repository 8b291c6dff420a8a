import type { ValidationResult } from '../validate/validate-candidate';
import type { GenerationJob } from './generation-job';
import type { GenerationReport } from './generation-events';

/**
 * What the tsc plugin tells the generation worker (plain data: it crosses a thread boundary). The plugin
 * holds the only program: it sends the jobs, then answers each batch of candidates the worker asks it to
 * check, until the worker reports the run.
 */
export type WorkerRequest =
  | { type: 'start'; configPath: string; pluginConfig: Record<string, unknown> | undefined; force: boolean; jobs: GenerationJob[] }
  /**
   * Verdicts of candidates sent earlier. `wait`: whether to answer only once there is something to check (or
   * the run ended); without it the answer comes at once, with no candidates if none arrived: the plugin's
   * thread has work of its own.
   */
  | { type: 'checked'; results: { ticket: number; result: ValidationResult }[]; wait: boolean };

/** A candidate to check against its job's spec, in the program the plugin holds. */
export interface CheckRequest {
  ticket: number;
  job: string;
  candidate: string;
}

export type WorkerResponse =
  /** Every candidate that arrived since the last call: replies never wait for the plugin's checks. */
  | { type: 'check'; requests: CheckRequest[] }
  | { type: 'done'; report: GenerationReport }
  | { type: 'failed'; message: string };
