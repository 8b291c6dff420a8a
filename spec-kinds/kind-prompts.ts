/**
 * The prompts of spec kinds that are not asked for as functions. Kept apart from spec-kind.ts, which
 * discovery reads: these import the generation stage.
 */
import type * as TS from 'typescript';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import type { Prompt, PromptOptions } from '../generate/build-prompt';
import type { FoundSpec } from '../spec/find-specs';
import { buildTestPrompt } from './test-spec/test-prompt';

export type KindPrompt = (ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, spec: AnalyzedSpec, options: PromptOptions) => Prompt;

const PROMPTS: Readonly<Record<string, KindPrompt>> = { test: buildTestPrompt };

export function kindPrompt(spec: Pick<FoundSpec, 'kind'>): KindPrompt | undefined {
  return spec.kind === undefined ? undefined : PROMPTS[spec.kind];
}
