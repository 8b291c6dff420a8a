/**
 * What the engine needs to know of a spec, as plain data: it crosses the thread boundary to the tsc
 * plugin's worker, which then needs no program of its own. Built where the program is.
 */
import type * as TS from 'typescript';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { formatInputs } from '../spec/spec-hash';
import type { ValidationResult, Validator } from '../validate/validate-candidate';
import { kindOf } from '../spec-kinds/spec-kind';
import { shapeOf } from '../spec-kinds/shapes';
import { buildPrompt, type Prompt } from './build-prompt';
import { batteryJob, type BatteryJob } from './spec-battery';

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
  /** A kind written from contracts only (test specs): it neither waits for nor fails with its dependencies. */
  fromContractsOnly?: boolean;
  /** With `tests: true`: the battery request, and the example assertions a battery test may not contradict. */
  battery?: BatteryJob;
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
  o: { tests?: boolean } = {},
): GenerationJob[] {
  return specs.map((spec) => ({
    id: spec.id, name: spec.ir.name, hash: spec.hash!, file: spec.ir.file, deps: [...spec.ir.deps],
    inputs: spec.inputs && formatInputs(spec.inputs),
    prompt: buildPrompt(ts, program, analysis, spec, { packageDeps }),
    ...(kindOf(spec.found)?.fromContractsOnly ? { fromContractsOnly: true } : {}),
    // Batteries are written for plain functions; a class is held to its examples (member ones included).
    ...(o.tests && spec.found.kind === undefined && shapeOf(spec.found).name === 'function' ? { battery: batteryJob(ts, program, analysis, spec) } : {}),
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
    const typed = validator.validateMany ? validator.validateMany(known) : known.map((k) => validator.validate(k.spec, k.candidate));
    // Behaviour is part of the contract: the examples of every candidate that type-checked run, sandboxed.
    const checked = typed.map((r, i): ValidationResult => {
      if (!r.ok) return r;
      const b = validator.checkBehaviourSync(known[i]!.spec, r.body);
      const notes = b.notes?.length ? { notes: b.notes } : {};
      return b.ok ? { ok: true, body: r.body, ...(b.passed > 0 ? { examples: b.passed } : {}), ...notes } : { ok: false, errors: b.errors, ...notes };
    });
    const results = items.map((item) => gone(item.job));
    known.forEach((k, i) => (results[k.index] = checked[i]!));
    return results;
  };
  return { validate: (job, candidate) => validateMany([{ job, candidate }])[0]!, validateMany };
}
