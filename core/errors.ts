/**
 * Stable diagnostic codes. A feature throws (or returns) a JauntError; adapters (tsc transformer, CLI)
 * turn it into a ts.Diagnostic or a printed line. Codes never change meaning once released.
 */
export const Codes = {
  // 1xxx: the spec itself is malformed.
  NotDeclareFunction: 1001,
  NotAFunction: 1002,
  SpecInDeclarationFile: 1003,
  DuplicateSpec: 1004,
  MissingReturnType: 1005,
  AnyInSignature: 1006,
  EmptyContract: 1007,
  OverloadsDisagree: 1008,
  NotTopLevel: 1009,
  UnknownDependency: 1010,
  DependencyCycle: 1011,
  AmbiguousDependency: 1012,
  MisplacedTag: 1013,
  MisspeltTag: 1014,
  ReservedSpecName: 1015,
  DependencyNotGenerable: 1016,
  /** An `@example` line asserts (`// =>`, `// throws`) but cannot be run as written. */
  ExampleUnreadable: 1017,
  /** A `@jauntTest` spec outside a test file (`*.test.ts`, `*.spec.ts`, `__tests__/`). */
  TestSpecOutsideTestFile: 1020,
  /** A `@jauntTest` spec that is not `declare function name(): void` (or `Promise<void>`). */
  TestSpecSignature: 1021,
  /** A `@jauntTest` spec that links no spec under test with `{@link}`. */
  TestSpecLinksNothing: 1022,
  /** A spec names a test spec as a dependency: tests are not callable code (warning; the edge is dropped). */
  DependsOnTestSpec: 1023,
  /** A class spec Jaunt cannot implement or check: abstract, private or protected members, index signatures. */
  ClassSpecUnsupported: 1030,
  /** A class spec used when the module loads, above its declaration: the class would not exist yet. */
  ClassUsedBeforeDeclaration: 1031,
  /** `@jaunt` on a class that has a body (or is not `declare`d): a class spec is a `declare class`. */
  NotDeclareClass: 1032,
  // 2xxx: the cache.
  MissingEntry: 2001,
  CorruptEntry: 2002,
  HandEditedEntry: 2003,
  EntryLacksFunction: 2004,
  CacheUnreadable: 2005,
  CacheWriteFailed: 2006,
  EditedEntryInvalid: 2007,
  EntryFailsInFile: 2008,
  /** A cached implementation fails its spec's executable examples. */
  EntryFailsExamples: 2012,
  /** A generated test fails against implementations that pass their examples: the test is suspect. */
  SuspectTest: 2020,
  /** A generated test fails, and the examples of the specs it tests do not settle who is wrong. */
  FailingTest: 2021,
  /** A file Jaunt was given to read (`author --from`) is a FIFO, device, socket or folder: never read. */
  NotRegularFile: 2009,
  /** A file to read or an entry to write is over the size limit (cache/read-bounded.ts MAX_FILE_BYTES). */
  FileTooLarge: 2010,
  /** gc: a file named like a cache entry is not one (no Jaunt header, or not readable as one): kept. */
  NotAnEntry: 2011,
  // 3xxx: generation.
  GenerationFailed: 3001,
  DependencyFailed: 3002,
  ProviderAuth: 3003,
  ProviderRequest: 3004,
  ProviderUnavailable: 3005,
  GenerationDisabled: 3006,
  NoApiKey: 3007,
  WorkerFailed: 3008,
  ReplyTruncated: 3009,
  ReplyTooLarge: 3010,
  EndpointDown: 3011,
  /** Not sent: the request could cost more than what is left of the build's budget. */
  BudgetExhausted: 3012,
  // 4xxx: configuration and CLI.
  BadConfig: 4001,
  UnsupportedTypeScript: 4002,
  UnknownSpec: 4003,
  /** A tsconfig `baseURL` the environment did not approve would receive the API key. */
  UntrustedBaseURL: 4004,
  /** An API endpoint that is neither https nor plain http to this machine. */
  InsecureBaseURL: 4005,
  /** An API endpoint with a user name or password in it. */
  BaseURLCredentials: 4006,
  /** A budget is set but the model has no known price to hold it to. */
  BudgetNeedsPrice: 4007,
  /** The provider has no default model and the plugin entry (or --model) names none. */
  ModelRequired: 4008,
  /** TypeScript 7 (no JS API, plugins ignored) without a JS compiler for Jaunt's analysis beside it. */
  NoJsCompiler: 4010,
  /** A bundler handed Jaunt a file with specs that the tsconfig's program does not include. */
  SpecFileOutsideProgram: 4011,
  /** The code a bundler handed Jaunt is not the file on disk (another plugin changed it first). */
  BundlerInputChanged: 4012,
  /** `jaunt eject` cannot eject the spec (no usable implementation, or other specs depend on it). */
  EjectRefused: 4013,
  // 5xxx: Jaunt itself.
  InternalError: 5001,
} as const;

export type CodeName = keyof typeof Codes;
export type Severity = 'error' | 'warning' | 'message';

export interface Location {
  /** Absolute path of the file. */
  file: string;
  /** 0-based offsets into the file text. */
  start?: number;
  length?: number;
  /** 1-based line, for callers without offsets. */
  line?: number;
}

/** A problem to report: what went wrong, where, for which spec, and what to do. */
export interface JauntDiagnostic {
  code: number;
  severity: Severity;
  message: string;
  location?: Location;
  spec?: string;
}

export function formatCode(code: number): string {
  return `JAUNT${code}`;
}

/** Thrown by features for an input problem; never for a bug. Adapters catch it and report it. */
export class JauntError extends Error {
  readonly code: number;
  readonly location: Location | undefined;
  readonly spec: string | undefined;
  constructor(code: number, message: string, location?: Location, spec?: string) {
    super(message);
    this.name = 'JauntError';
    this.code = code;
    this.location = location;
    this.spec = spec;
  }
  toDiagnostic(severity: Severity = 'error'): JauntDiagnostic {
    return { code: this.code, severity, message: this.message, location: this.location, spec: this.spec };
  }
}

export function diagnostic(
  code: number,
  message: string,
  location?: Location,
  spec?: string,
  severity: Severity = 'error',
): JauntDiagnostic {
  return { code, severity, message, location, spec };
}
