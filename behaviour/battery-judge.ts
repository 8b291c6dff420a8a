/**
 * Judges a candidate's battery run. The @examples, written by a person, are the ground truth; the battery
 * was written by a model, so a battery test may be the wrong one. When a candidate passes every example:
 * - a failing test that asserts an example's own expression (with another value) contradicts that example,
 *   and is dropped at once;
 * - a failing test that has now failed against two different candidates that both pass every example is
 *   dropped as disputed (two independent answers agree with the examples and against the test).
 * Dropped tests stay in the battery file as `// @dropped <reason>` for review, and are reported. Everything
 * else that fails is a failed attempt, told to the model by test name and values, never by the test's code.
 */
import type * as TS from 'typescript';
import { hashSync } from '../spec/hash';
import { readBattery, writeBattery, type Battery, type BatteryTest } from './battery-file';
import type { ExampleStep, SpecExample } from './parse-examples';
import type { SpecExamplesRun } from './run-examples';

/** The id a spec's battery runs under, beside the spec's own id (its examples). */
export const batteryRunId = (specId: string) => `${specId}::battery`;

/** The battery of a spec when it has one that can run (a missing or unreadable one is no battery). */
export function loadBattery(ts: typeof TS, cacheDir: string, name: string, hash: string | undefined): Battery | undefined {
  if (hash === undefined) return undefined;
  const read = readBattery(ts, cacheDir, name, hash);
  return read.status === 'found' && read.battery.tests.length > 0 ? read.battery : undefined;
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

/** An example's assertions that need no setup, by expression. */
function exampleAssertions(examples: readonly SpecExample[], fileLabel: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const ex of examples) {
    for (const step of ex.steps) {
      if (step.kind === 'setup') break;
      if (!out.has(squeeze(step.source))) out.set(squeeze(step.source), `${fileLabel}:${step.line}`);
    }
  }
  return out;
}

/** The steps of a test before its first setup line: those whose expression means the same as an example's. */
function leadingAssertions(t: BatteryTest): Exclude<ExampleStep, { kind: 'setup' }>[] {
  const out: Exclude<ExampleStep, { kind: 'setup' }>[] = [];
  for (const s of t.steps) {
    if (s.kind === 'setup') break;
    out.push(s);
  }
  return out;
}

export interface BatteryVerdict {
  /** The failures that make the attempt fail (test names and values only). */
  failures: string[];
  /** What was dropped, and why: reported, never silent. */
  notes: string[];
  passed: number;
}

export interface BatteryJudge {
  judge(input: {
    ts: typeof TS;
    spec: { id: string; name: string };
    examples: readonly SpecExample[];
    /** How messages name the spec's file. */
    fileLabel: string;
    battery: Battery;
    cacheDir: string;
    examplesRun: SpecExamplesRun | undefined;
    batteryRun: SpecExamplesRun;
    body: string;
  }): BatteryVerdict;
}

/** One judge per generation run: it remembers which candidates failed which tests. */
export function createBatteryJudge(): BatteryJudge {
  const failedBy = new Map<string, Set<string>>();
  return {
    judge({ ts, spec, examples, fileLabel, battery, cacheDir, examplesRun, batteryRun, body }) {
      const failedLines = new Set(batteryRun.failedExamples);
      const failed = battery.tests.filter((t) => failedLines.has(t.line));
      const passed = battery.tests.length - failed.length;
      const examplesPass = (examplesRun?.failures.length ?? 0) === 0;
      // A candidate that breaks an example, or whose module does not even load, says nothing about the tests.
      if (!examplesPass || failedLines.has(0) || failed.length === 0) return { failures: batteryRun.failures, notes: [], passed };
      const byExpression = exampleAssertions(examples, fileLabel);
      const candidate = hashSync(body);
      const drops = new Map<BatteryTest, string>();
      for (const t of failed) {
        const stepLines = new Set(t.steps.map((s) => s.line));
        const failedSteps = new Set(batteryRun.results.filter((r) => !r.ok && stepLines.has(r.line)).map((r) => r.line));
        const clash = leadingAssertions(t).find((s) => failedSteps.has(s.line) && byExpression.has(squeeze(s.source)));
        if (clash) {
          drops.set(t, `contradicts the @example at ${byExpression.get(squeeze(clash.source))!} (an implementation that passes the examples fails it)`);
          continue;
        }
        const key = `${spec.id}\n${t.name}`;
        const against = failedBy.get(key) ?? failedBy.set(key, new Set()).get(key)!;
        against.add(candidate);
        if (against.size >= 2) drops.set(t, `failed against ${against.size} different implementations that pass every @example: it likely reads the contract differently`);
      }
      if (drops.size === 0) return { failures: batteryRun.failures, notes: [], passed };
      const names = new Set([...drops.keys()].map((t) => t.name));
      // Re-read, so an edit made since the run started is not lost.
      const current = loadBattery(ts, cacheDir, battery.meta.spec, battery.meta.hash) ?? battery;
      writeBattery(cacheDir, {
        meta: current.meta,
        tests: current.tests.filter((t) => !names.has(t.name)),
        dropped: [...current.dropped, ...[...drops].map(([t, reason]) => ({ name: t.name, reason, code: t.code }))],
      });
      const notes = [...drops].map(([t, reason]) => `dropped battery test ${JSON.stringify(t.name)}: ${reason}`);
      const failures = batteryRun.failures.filter((f) => ![...names].some((n) => f.startsWith(`battery test ${JSON.stringify(n)}`)));
      return { failures, notes, passed };
    },
  };
}
