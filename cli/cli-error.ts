import { ExitCode, type ExitCodeValue } from './exit-codes';

/**
 * A problem the user can fix, with the exit code it maps to. main.ts prints its message (and hint)
 * without a stack trace.
 */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  /** Stable JAUNT code when one applies (e.g. 4003 for an unknown spec). */
  readonly code: number | undefined;
  /** What to do about it, printed on its own line. */
  readonly hint: string | undefined;
  constructor(exitCode: ExitCodeValue, message: string, o: { code?: number; hint?: string } = {}) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.code = o.code;
    this.hint = o.hint;
  }
}

export function usageError(message: string, hint?: string): CliError {
  return new CliError(ExitCode.Usage, message, { hint });
}
