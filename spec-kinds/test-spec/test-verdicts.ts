/**
 * What a test spec's run means. A generated test that fails is weighed against the examples of the specs
 * it tests, which a person wrote and which are the ground truth: if those implementations pass their
 * examples, the failure is reported as a suspect test naming both sides (the failing expectation, and the
 * examples the implementation passes), for a person to decide; if an implementation fails its own
 * examples, the implementation is at fault; with no examples, nothing settles it.
 */
import type * as TS from 'typescript';
import { examplesOf } from '../../behaviour/parse-examples';
import type { SpecExamplesRun } from '../../behaviour/run-examples';
import type { SpecStatus } from '../../core/classify-specs';
import { Codes } from '../../core/errors';
import type { TestSpecRun } from './run-test-specs';

export type TestVerdictState = 'passed' | 'suspect' | 'failing' | 'not-run';

export interface LinkedSide {
  name: string;
  file: string;
  line: number;
  status: SpecStatus['status'];
  /** Example assertions it passed in this run, as written (`expr // => expected`). */
  passedExamples: string[];
  /** Its example failures, if any. */
  failedExamples: string[];
}

export interface TestVerdict {
  id: string;
  name: string;
  file: string;
  line: number;
  state: TestVerdictState;
  /** JAUNT2020 (suspect) or JAUNT2021 (failing); absent when it passed. */
  code?: number;
  /** jest's message for the failing expectation, or why it did not run. */
  failure?: string;
  linked: LinkedSide[];
  /** One paragraph that names both sides and what to do. */
  message?: string;
}

const USABLE = new Set(['fresh', 'edited']);

function side(ts: typeof TS, s: SpecStatus, run: SpecExamplesRun | undefined): LinkedSide {
  const steps = s.spec ? examplesOf(ts, s.spec.found).examples.flatMap((e) => e.steps) : [];
  const written = (line: number, source: string) => {
    const step = steps.find((x) => x.kind !== 'setup' && x.line === line);
    return step?.kind === 'equals' ? `${source} // => ${step.expected}` : step?.kind === 'throws' ? `${source} // throws ${step.errorName}` : source;
  };
  return {
    name: s.name, file: s.file, line: s.line, status: s.status,
    passedExamples: (run?.results ?? []).filter((r) => r.ok).map((r) => written(r.line, r.source)),
    failedExamples: run?.failures ?? [],
  };
}

const firstLines = (text: string, n: number) => text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '').slice(0, n).join(' | ');

export function testVerdicts(
  ts: typeof TS, tests: readonly SpecStatus[], all: readonly SpecStatus[], exampleRuns: ReadonlyMap<string, SpecExamplesRun>,
  runs: ReadonlyMap<string, TestSpecRun>,
): TestVerdict[] {
  const byId = new Map(all.map((s) => [s.id, s]));
  return tests.map((t) => {
    const base = { id: t.id, name: t.name, file: t.file, line: t.line };
    const linked = (t.spec?.ir.deps ?? []).flatMap((d) => (byId.has(d) ? [side(ts, byId.get(d)!, exampleRuns.get(d))] : []));
    const run = runs.get(t.id);
    if (!run) {
      const why = t.status === 'missing' || t.status === 'stale' ? 'no cached test for its current contract (run `jaunt build`)' : `its entry is ${t.status}: ${t.reasons.slice(0, 2).join('; ')}`;
      return { ...base, state: 'not-run', code: Codes.FailingTest, failure: why, linked, message: `test '${t.name}' (${t.file}:${t.line}) did not run: ${why}` };
    }
    if (run.ok) return { ...base, state: 'passed', linked };
    if (run.notRun) {
      return { ...base, state: 'not-run', code: Codes.FailingTest, failure: run.error, linked, message: `test '${t.name}' (${t.file}:${t.line}) did not run: ${run.error ?? 'unknown'}` };
    }
    const failure = run.error ?? 'failed';
    const expectation = firstLines(failure, 14);
    const broken = linked.filter((l) => !USABLE.has(l.status) || l.failedExamples.length > 0);
    const proven = linked.filter((l) => l.passedExamples.length > 0);
    if (broken.length > 0) {
      const names = broken.map((l) => `${l.name} (${l.file}:${l.line}) is ${l.failedExamples.length ? `failing its own examples: ${l.failedExamples[0]}` : l.status}`);
      return { ...base, state: 'failing', code: Codes.FailingTest, failure, linked,
        message: `test '${t.name}' (${t.file}:${t.line}) fails: ${expectation}. The implementation is at fault first: ${names.join('; ')}. Fix it, then run the test again.` };
    }
    if (proven.length === 0) {
      return { ...base, state: 'failing', code: Codes.FailingTest, failure, linked,
        message: `test '${t.name}' (${t.file}:${t.line}) fails: ${expectation}. ${linked.map((l) => l.name).join(', ') || 'The specs it tests'} ${linked.length === 1 ? 'has' : 'have'} no executable examples ` +
          'to settle whether the test or the implementation is wrong: add an @example (`expr // => expected`) for the case, then fix the side it proves wrong.' };
    }
    const sides = proven.map((l) => `${l.name} (${l.file}:${l.line}) passes its ${l.passedExamples.length} example assertion${l.passedExamples.length === 1 ? '' : 's'}: ${l.passedExamples.map((e) => `\`${e}\``).join(', ')}`);
    return { ...base, state: 'suspect', code: Codes.SuspectTest, failure, linked,
      message: `suspect test '${t.name}' (${t.file}:${t.line}) fails against implementations that pass their examples. The test: ${expectation}. ` +
        `The implementation: ${sides.join('; ')}. The examples, written by a person, are the ground truth and do not settle this case: ` +
        `if the test asserts what the contract does not promise, make the test spec precise and run \`jaunt build --force ${t.name}\`; ` +
        'if the implementation is wrong, add an @example that shows it, and `jaunt build` regenerates the implementation.' };
  });
}
