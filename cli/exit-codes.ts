/**
 * The `jaunt` exit codes. They are part of the CLI's contract (scripts and CI branch on them), so a
 * code never changes meaning once released; new situations get new numbers.
 */
export const ExitCode = {
  /** Everything asked for succeeded. */
  Ok: 0,
  /** The work ran but its answer is "no": `check` found problems, `build` had failures. */
  Failed: 1,
  /** The command line is wrong: unknown command, option or spec, missing argument. */
  Usage: 2,
  /** The project cannot be used: no or bad tsconfig, bad plugin options, unsupported TypeScript. */
  Config: 3,
  /** `jaunt build` has work to do and ANTHROPIC_API_KEY is not set. */
  MissingKey: 4,
  /** A bug in jaunt itself. */
  Internal: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
