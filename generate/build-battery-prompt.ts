/**
 * The prompt for a spec's battery of held-out tests: the contract (JSDoc and declaration), the types it
 * uses and the contracts of the specs it may call, never an implementation: a separate request from the
 * one that writes the code, so the tests check the contract, not what some answer happened to do.
 */
import type * as TS from 'typescript';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { runtimeScope } from '../behaviour/runnable-modules';
import { MAX_TESTS } from '../behaviour/battery-file';
import type { Prompt } from './build-prompt';

/** The line the battery request's user message starts with, after the `Spec:` line. */
export const BATTERY_MARKER = 'Battery: write held-out tests';

function fence(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  return `${marks}ts\n${code.trimEnd()}\n${marks}`;
}

/** The spec as its author wrote it: JSDoc and declarations. */
function contractText(spec: AnalyzedSpec): string {
  const { sourceFile: sf, declarations, jsdoc } = spec.found;
  return `${jsdoc.raw}\n${sf.text.slice(declarations[0]!.getStart(sf), declarations[declarations.length - 1]!.end)}`;
}

const SYSTEM = [
  'You write a battery of tests for one TypeScript function from its contract alone (you never see an implementation).',
  'The tests decide whether an implementation is accepted, so each must follow from the contract as written.',
  'Answer with exactly one ```ts code block in this format, and nothing else in the block:',
  '',
  '// @test <a short sentence saying what the test shows>',
  'const input = new Uint8Array([1, 2]);      // optional setup lines: plain statements, run in order',
  'f(input) // => [2, 4]                      // asserts deep strict equality (util.isDeepStrictEqual)',
  "f('') // throws RangeError                // asserts the error class",
  "f(-1) // throws RangeError: n must be      // class and message prefix, only when the contract states the message",
  '',
  'Rules:',
  '- Every test starts with its own `// @test` line and has at least one `// =>` or `// throws` line; each line is one',
  '  complete statement or expression (never split an expression over lines). Tests do not share variables.',
  '- Write `await f(x) // => v` for functions that return a promise.',
  '- Expected values are literals or plain constructions (`new Uint8Array([1])`, `{ a: 1 }`); deep strict equality',
  '  compares prototypes too (a Buffer never equals a Uint8Array; `-0` never equals `0`).',
  '- Assert only what the contract states. Do not guess unspecified details: error messages it does not give,',
  '  the order of keys it does not fix, floating-point digits it does not promise.',
  '- No imports: use the names listed as in scope and Node globals (Buffer, TextEncoder, URL, Math, JSON...).',
  '- Deterministic only: no clock, randomness, network, files, timers or console output.',
  `- Between 6 and ${Math.min(20, MAX_TESTS)} tests: each stated rule, each @throws condition, boundaries and empty inputs,`,
  '  neighbours of the @example values. The examples in the contract hold: never contradict them.',
].join('\n');

export function buildBatteryPrompt(ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, spec: AnalyzedSpec): Prompt {
  const name = spec.ir.name;
  const scope = runtimeScope(ts, program, spec.found.sourceFile, [name]);
  const deps = spec.ir.deps.flatMap((id) => {
    const dep = analysis.byId.get(id);
    return dep ? [`- ${dep.ir.name} (from ${dep.ir.file}):\n${fence(contractText(dep))}`] : [];
  });
  const sections = [
    `Spec: ${name}`,
    `${BATTERY_MARKER} for this spec from ${spec.ir.file}, from its contract alone:\n${fence(contractText(spec))}`,
    spec.typeSources.length ? `Types its signature uses:\n${fence(spec.typeSources.map((t) => t.raw).join('\n\n'))}` : '',
    deps.length ? `Specs it calls (their own tests are separate; test ${name} through its contract):\n${deps.join('\n')}` : '',
    `Names in scope for the tests: ${scope.join(', ')}.`,
  ];
  return { system: SYSTEM, user: sections.filter((s) => s !== '').join('\n\n') };
}
