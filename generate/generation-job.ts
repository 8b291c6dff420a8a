/**
 * What the engine needs to know of a spec, as plain data: it crosses the thread boundary to the tsc
 * plugin's worker, which then needs no program of its own. Built where the program is.
 */
import type * as TS from 'typescript';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { formatInputs } from '../spec/spec-hash';
import type { ValidationResult, Validator } from '../validate/validate-candidate';
import { buildPrompt, type Prompt } from './build-prompt';

export interface GenerationJob {
  /** `file#name`, as AnalyzedSpec.id. */
  id: string;
  name: string;
  hash: string;
  /** Project-relative file of the spec. */
  file: string;
  /** Ids of the specs it depends on. */
  deps: string[];
  /** Fingerprints of the spec's inputs, for the entry's provenance (what a later "stale" names). */
  inputs: string | undefined;
  /** The stable part of every request for it; repairs add turns after it. */
  prompt: Prompt;
}

/** Checks a candidate for a job: in-process for the CLI, a round trip to the main thread for the plugin. */
export interface JobValidator {
  validate(job: GenerationJob, candidate: string): ValidationResult | Promise<ValidationResult>;
}

/** A validator in the program's own thread, which can also check a batch at the cost of about one check per file. */
export interface ProgramJobValidator extends JobValidator {
  validate(job: GenerationJob, candidate: string): ValidationResult;
  validateMany(items: readonly { job: GenerationJob; candidate: string }[]): ValidationResult[];
}

export function jobsFor(
  ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, specs: readonly AnalyzedSpec[], packageDeps: readonly string[],
): GenerationJob[] {
  return specs.map((spec) => ({
    id: spec.id, name: spec.ir.name, hash: spec.hash!, file: spec.ir.file, deps: [...spec.ir.deps],
    inputs: spec.inputs && formatInputs(spec.inputs),
    prompt: buildPrompt(ts, program, analysis, spec, { packageDeps }),
  }));
}

/** A program's validator, answering for jobs by spec id. */
export function programValidator(validator: Validator, analysis: ProgramAnalysis): ProgramJobValidator {
  const gone = (job: GenerationJob): ValidationResult => ({ ok: false, errors: [`spec '${job.name}' is no longer in the program`] });
  const validateMany = (items: readonly { job: GenerationJob; candidate: string }[]): ValidationResult[] => {
    const known = items.flatMap((item, index) => {
      const spec = analysis.byId.get(item.job.id);
      return spec ? [{ index, spec, candidate: item.candidate }] : [];
    });
    const checked = validator.validateMany ? validator.validateMany(known) : known.map((k) => validator.validate(k.spec, k.candidate));
    const results = items.map((item) => gone(item.job));
    known.forEach((k, i) => (results[k.index] = checked[i]!));
    return results;
  };
  return { validate: (job, candidate) => validateMany([{ job, candidate }])[0]!, validateMany };
}
