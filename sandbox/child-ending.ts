import type { SandboxOutcome } from './run-sandboxed';

/** What a sandboxed run may use: the numbers its ending is told in. */
export interface EndingLimits {
  timeoutMs: number;
  memoryMb: number;
  maxOutputBytes: number;
}

/**
 * How a sandboxed child ended before it reported everything, as the end of a sentence about what was
 * running ("loading src/a.ts …", "the test …"): the example and the test runners say it the same way.
 */
export function childEnding(outcome: SandboxOutcome, limits: EndingLimits): string {
  if (outcome.timedOut) return `did not finish within ${limits.timeoutMs / 1000} s (the sandbox's limit): an endless loop, or work that never ends?`;
  if (outcome.tooMuchOutput) return `printed more than ${limits.maxOutputBytes / 1024 / 1024} MB`;
  if (/heap out of memory|Allocation failed/i.test(outcome.stderr)) return `ran out of memory (the sandbox caps the heap at ${limits.memoryMb} MB)`;
  if (outcome.code === 13) return 'awaited a promise that never settles';
  if (outcome.signal) return `was killed by ${outcome.signal}`;
  return `ended the process (exit code ${outcome.code ?? 'unknown'}): code that calls process.exit or crashes ends the run`;
}
