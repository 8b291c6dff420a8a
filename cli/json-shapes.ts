/**
 * The `--json` output of every command. These shapes are a public contract (documented in
 * cli/README.md): fields may be added, never renamed or removed. Paths are relative to the tsconfig's
 * folder and use `/`.
 */
import * as path from 'node:path';
import type { DiagnosticJson } from './diagnostics';
import type { SpecState, SpecStatus } from '../core/classify-specs';
import type { EndpointSource } from '../config/endpoint';

export type { DiagnosticJson } from './diagnostics';

export interface SpecJson {
  /** `file#name`. */
  id: string;
  name: string;
  file: string;
  line: number;
  /** Null for malformed specs and specs on a dependency cycle. */
  hash: string | null;
  status: SpecState;
  /** stale: what changed ("JSDoc", "signature", "a referenced type", "dependency X", ...); corrupt/invalid: what is wrong. */
  reasons: string[];
  /** The entry for the current hash, when that file exists. */
  entry: string | null;
  /** stale: the newest entry of an earlier contract. */
  previousEntry: string | null;
}

export type CountsJson = Record<SpecState, number> & { total: number };

export interface StatusJson {
  /** Absolute path of the tsconfig. */
  project: string;
  specs: SpecJson[];
  counts: CountsJson;
  diagnostics: DiagnosticJson[];
  /** Ids of stale specs whose earlier entry passes every check against the new contract (`jaunt build --reverify`). */
  reverifiable?: string[];
}

export interface CheckJson extends StatusJson {
  ok: boolean;
  /** Ids of the specs that fail the check. */
  problems: string[];
}

/** `jaunt test --json`: every spec with executable examples, and each assertion as it ran. */
export interface TestJson {
  ok: boolean;
  project: string;
  /** What the examples ran with: the Node of the sandbox (its permission flags differ by version) and the project's TypeScript. */
  ranWith: { node: string; typescript: string };
  specs: (SpecJson & {
    /** False when it has no usable entry (see status and failures). */
    ran: boolean;
    assertions: { line: number; source: string; ok: boolean; expected: string | null; actual: string | null }[];
    /** One sentence per failure (`example at file:line: ...`), or why it did not run. */
    failures: string[];
  })[];
  counts: { specs: number; assertions: number; passed: number; failures: number; notRun: number; tests?: number; testsPassed?: number; suspectTests?: number };
  /** The @jauntTest specs: each generated test's run, and the specs it tests with their examples (see spec-kinds/test-spec/test-verdicts.ts). */
  tests?: {
    id: string; name: string; file: string; line: number;
    /** `suspect`: it fails, yet the specs it tests pass their examples (JAUNT2020); `failing` and `not-run`: JAUNT2021. */
    state: 'passed' | 'suspect' | 'failing' | 'not-run';
    code: string | null;
    /** jest's message for the failing expectation, or why it did not run. */
    failure: string | null;
    message: string | null;
    linked: { name: string; file: string; line: number; status: string; passedExamples: string[]; failedExamples: string[] }[];
  }[];
  /** With --mutants only. */
  mutants?: MutantsJson;
}

/** `jaunt test --mutants`: killed/total per spec, every mutant with where and what changed. */
export interface MutantsJson {
  specs: {
    id: string;
    name: string;
    /** Project-relative entry the mutants come from. */
    entry: string;
    examples: number;
    batteryTests: number;
    killed: number;
    total: number;
    /** killed / total, 0..1; null when there is no mutant or the entry already fails (baselineFailures). */
    score: number | null;
    baselineFailures: string[];
    mutants: { line: number; column: number; kind: string; change: string; killed: boolean; killedBy: string | null }[];
  }[];
  killed: number;
  total: number;
  score: number | null;
}

/** Printed on stdout with --json when a command cannot run (usage, config, missing key, internal). */
export interface ErrorJson {
  error: { exitCode: number; code: string | null; message: string; hint: string | null };
}

const rel = (projectDir: string, file: string | undefined): string | null =>
  file === undefined ? null : path.relative(projectDir, file).split(path.sep).join('/');

export function specJson(s: SpecStatus, projectDir: string): SpecJson {
  return {
    id: s.id, name: s.name, file: s.file, line: s.line, hash: s.hash ?? null, status: s.status, reasons: s.reasons,
    entry: rel(projectDir, s.entry), previousEntry: rel(projectDir, s.previousEntry),
  };
}

export interface GcEntryJson {
  path: string;
  spec: string;
  hash: string;
  reason: 'spec-removed' | 'old-hash';
  detail: string;
  edited: boolean;
  corrupt: boolean;
  deleted: boolean;
}

export interface GcJson {
  project: string;
  cacheDir: string;
  /** Entry files in the cache folder. */
  entries: number;
  /** Entries that current specs use. */
  used: number;
  orphans: GcEntryJson[];
  /** How many orphans were removed (0 without --delete). */
  deleted: number;
  /** Entries of specs that are malformed or on a cycle right now: never removed. */
  protected: { path: string; spec: string; hash: string; detail: string }[];
}

export interface ExplainJson {
  spec: { id: string; name: string; file: string; line: number; hash: string | null };
  model: string;
  maxTokens: number;
  /** Where the request would go, with any user name, password or query redacted (`https://***@host/`). */
  endpoint: string;
  /** Where that URL came from: ANTHROPIC_BASE_URL, the tsconfig's `baseURL` (when allowed), or the default. */
  endpointSource: EndpointSource;
  /** Exactly the text of the first request. */
  prompt: { system: string; user: string };
  size: { characters: number; estimatedTokens: number; estimate: 'ceil(characters / 4)' };
  /** The canonical parts the spec hash covers. */
  inputs: {
    name: string;
    signatures: string[];
    doc: string;
    types: string[];
    deps: { id: string; name: string; hash: string | null }[];
  };
}

export interface BuildSpecJson {
  id: string;
  name: string;
  file: string;
  line: number;
  /**
   * reused: a fresh (or hand-edited) entry was kept; reverified: the entry of an earlier contract passed every
   * check against the new one and was re-stamped without a request (`--reverify`); skipped: a dependency failed;
   * invalid: malformed spec.
   */
  status: 'generated' | 'reused' | 'reverified' | 'failed' | 'skipped' | 'invalid';
  /** The entry now serving the spec, if any. */
  entry: string | null;
  inputTokens: number;
  outputTokens: number;
  attempts: number;
  /** Why it failed, was skipped or is invalid; null otherwise. */
  reason: string | null;
  /** The JAUNT code of a failure (e.g. 3012: not sent, over the budget); null otherwise. */
  code?: number | null;
  /** Generated: the model that answered, as its reply named it. */
  answeredBy?: string | null;
}

export interface BuildJson {
  project: string;
  model: string;
  /** The API base URL requests go to, redacted as in `explain`, and where it came from. */
  endpoint: string;
  endpointSource: EndpointSource;
  specs: BuildSpecJson[];
  counts: { generated: number; reused: number; reverified: number; failed: number; skipped: number; invalid: number };
  /** anthropic or openai. */
  provider?: string;
  /** With a budget: the limit, what was spent (list prices), and the specs it kept from being sent. */
  budget?: { usd: number; spentUsd: number; refused: string[] } | null;
  tokens: { input: number; output: number };
  /** Always an estimate from list prices; usd is null when the model's price is unknown. */
  cost: { usd: number | null; priceIn: number | null; priceOut: number | null; source: string };
  wallMs: number;
  diagnostics: DiagnosticJson[];
}

export interface AuthorJson {
  spec: { id: string; name: string; file: string; line: number; hash: string };
  entry: string;
  /** What the entry file held before: nothing, a generated or authored entry, a hand-edited one, or garbage. */
  replaced: 'none' | 'fresh' | 'edited' | 'corrupt';
  /** Whether the implementation was type-checked against the spec (false with --no-verify). */
  verified: boolean;
}

export interface DoctorJson {
  /** False when any check failed. */
  ok: boolean;
  checks: {
    /** node, typescript, ts-patch, tsc-patched, tsconfig, plugin, options, endpoint, cache, specs, api-key, ci. */
    id: string;
    status: 'ok' | 'warn' | 'fail';
    title: string;
    fix: string | null;
  }[];
}
