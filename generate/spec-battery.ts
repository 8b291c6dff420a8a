/**
 * A spec's battery (`tests: true`): read from the cache when its contract has one, else asked for once in a
 * request of its own (see build-battery-prompt.ts) and written beside the entry before the first candidate
 * runs. A battery that cannot be had (the request failed, no test in the reply can run) never blocks the
 * spec: it is generated without one, and the reason is reported.
 */
import type * as TS from 'typescript';
import { readBattery, parseTests, writeBattery, batteryLabel, type Battery, type BatteryTest, type DroppedTest } from '../behaviour/battery-file';
import { examplesOf } from '../behaviour/parse-examples';
import type { ResolvedOptions } from '../config/options';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { buildBatteryPrompt } from './build-battery-prompt';
import type { Prompt } from './build-prompt';
import type { GenerationEvent } from './generation-events';
import type { GenerationJob } from './generation-job';
import type { Provider } from './provider';

/** An example assertion of the spec: a battery test that says otherwise about the same expression is dropped. */
export interface KnownAssertion {
  source: string;
  kind: string;
  errorName?: string;
  line: number;
}

/** What a battery request needs, as plain data built where the program is (it crosses to the plugin's worker). */
export interface BatteryJob {
  prompt: Prompt;
  known: KnownAssertion[];
}

export function batteryJob(ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, spec: AnalyzedSpec): BatteryJob {
  const known: KnownAssertion[] = [];
  for (const ex of examplesOf(ts, spec.found).examples) {
    for (const step of ex.steps) {
      if (step.kind === 'setup') break;
      known.push({ source: step.source, kind: step.kind, ...(step.kind === 'throws' ? { errorName: step.errorName } : {}), line: step.line });
    }
  }
  return { prompt: buildBatteryPrompt(ts, program, analysis, spec), known };
}

export interface BatteryContext {
  /** TypeScript for reading the reply's tests (the worker loads it only when a battery is asked for). */
  ts(): typeof TS;
  options: ResolvedOptions;
  provider: Provider;
  emit(e: GenerationEvent): void;
}

export interface BatteryOutcome {
  battery: Battery | undefined;
  inputTokens: number;
  outputTokens: number;
}

/** The code of the first fenced block of a reply (the battery is one block, not a function). */
function firstBlock(reply: string): string | undefined {
  const m = /^ {0,3}(`{3,}|~{3,})[^\n]*\n([\s\S]*?)^ {0,3}\1[ \t]*$/m.exec(reply);
  return m?.[2];
}

/** Tests whose first assertions say another thing than an example about the same expression: dropped before any run. */
function contradictions(job: GenerationJob, known: readonly KnownAssertion[], tests: BatteryTest[]): Map<BatteryTest, string> {
  const bySource = new Map(known.map((k) => [k.source.replace(/\s+/g, ''), k]));
  const out = new Map<BatteryTest, string>();
  for (const t of tests) {
    for (const step of t.steps) {
      if (step.kind === 'setup') break;
      const ex = bySource.get(step.source.replace(/\s+/g, ''));
      const clash = ex && (ex.kind !== step.kind || (step.kind === 'throws' && ex.errorName !== step.errorName));
      if (clash) {
        out.set(t, `contradicts the @example at ${job.file}:${ex.line} (${ex.kind === 'throws' ? `it throws ${ex.errorName}` : 'it returns a value'})`);
        break;
      }
    }
  }
  return out;
}

export async function ensureBattery(c: BatteryContext, job: GenerationJob & { battery: BatteryJob }): Promise<BatteryOutcome> {
  const { options } = c;
  const ts = c.ts();
  const name = job.name;
  const none = (inputTokens = 0, outputTokens = 0): BatteryOutcome => ({ battery: undefined, inputTokens, outputTokens });
  const existing = readBattery(ts, options.cacheDir, name, job.hash);
  if (existing.status === 'found') return { battery: existing.battery, inputTokens: 0, outputTokens: 0 };
  if (existing.status === 'unusable') {
    c.emit({ type: 'note', spec: name, message: `its battery file cannot be used (${existing.reason}); generating without it. Fix the file or delete it to have a new one written` });
    return none();
  }
  const prompt = job.battery.prompt;
  let reply;
  try {
    reply = await c.provider.complete({ spec: name, system: prompt.system, user: prompt.user, maxTokens: options.maxTokens });
  } catch (e) {
    c.emit({ type: 'note', spec: name, message: `no battery: its request failed (${e instanceof Error ? e.message : String(e)}); generating without it` });
    return none();
  }
  const code = reply.stopReason === 'max_tokens' ? undefined : firstBlock(reply.text);
  if (code === undefined) {
    c.emit({ type: 'note', spec: name, message: `no battery: the reply ${reply.stopReason === 'max_tokens' ? 'was cut off at max_tokens' : 'held no code block'}; generating without it` });
    return none(reply.inputTokens, reply.outputTokens);
  }
  const parsed = parseTests(ts, code);
  const clashes = contradictions(job, job.battery.known, parsed.tests);
  const tests = parsed.tests.filter((t) => !clashes.has(t));
  const dropped: DroppedTest[] = [...parsed.dropped, ...[...clashes].map(([t, reason]) => ({ name: t.name, reason, code: t.code }))];
  const battery = {
    meta: {
      spec: name, file: job.file, hash: job.hash, model: options.model, tool: `${TOOL_NAME} ${TOOL_VERSION}`,
      created: new Date().toISOString(), inputTokens: reply.inputTokens, outputTokens: reply.outputTokens,
    },
    tests, dropped,
  };
  let file: string;
  try {
    file = writeBattery(options.cacheDir, battery);
  } catch (e) {
    c.emit({ type: 'note', spec: name, message: `no battery: it could not be written (${e instanceof Error ? e.message : String(e)}); generating without it` });
    return none(reply.inputTokens, reply.outputTokens);
  }
  const droppedText = dropped.length ? `; dropped ${dropped.length}: ${dropped.slice(0, 3).map((d) => `${JSON.stringify(d.name)} (${d.reason})`).join(', ')}` : '';
  c.emit({ type: 'note', spec: name, message: `battery of ${tests.length} test${tests.length === 1 ? '' : 's'} written to ${batteryLabel(options.projectDir, file)}${droppedText}` });
  return { battery: tests.length > 0 ? { path: file, ...battery } : undefined, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens };
}
