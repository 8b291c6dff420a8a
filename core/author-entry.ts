import type * as TS from 'typescript';
import { lookupEntry, writeEntry } from '../cache/cache-store';
import { OFFLINE } from '../cache/entry-format';
import { MAX_FILE_BYTES, kib, readBounded } from '../cache/read-bounded';
import { formatInputs } from '../spec/spec-hash';
import type { AnalyzedSpec, ProgramAnalysis } from './analyze-program';
import { Codes } from './errors';
import { invalidateBuildInfo } from './invalidate-build-info';
import type { ResolvedOptions } from '../config/options';

export type AuthorResult =
  | { ok: true; entry: string; replaced: 'none' | 'fresh' | 'edited' | 'corrupt' }
  | { ok: false; reason: 'edited'; entry: string }
  | { ok: false; reason: 'invalid'; errors: string[] };

const REPLACED = { hit: 'fresh', edited: 'edited', corrupt: 'corrupt', missing: 'none' } as const;

/**
 * Stores a hand-written implementation as a spec's entry, labelled as written without a model. It is
 * checked as a model's answer is (the same plan, in its file, and its examples run) unless `verify` is off; a hand-edited entry
 * is replaced only with `force`.
 */
export async function authorEntry(
  project: { ts: typeof TS; program: TS.Program; analysis: ProgramAnalysis; options: Pick<ResolvedOptions, 'cacheDir' | 'tests' | 'exampleTimeoutMs'> },
  spec: AnalyzedSpec & { hash: string }, text: string, o: { force: boolean; verify: boolean },
): Promise<AuthorResult> {
  const before = lookupEntry(project.options.cacheDir, spec.ir.name, spec.hash);
  if (before.status === 'edited' && !o.force) return { ok: false, reason: 'edited', entry: before.path };
  let body = text;
  let examples: number | undefined;
  if (o.verify) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createValidator, validatorOptionsOf } = require('../validate/validate-candidate') as typeof import('../validate/validate-candidate');
    const validator = createValidator(project.ts, project.program, project.analysis, validatorOptionsOf(project.options));
    const result = validator.validate(spec, text);
    if (!result.ok) return { ok: false, reason: 'invalid', errors: result.errors };
    body = result.body;
    const behaviour = await validator.checkBehaviour(spec, body);
    if (!behaviour.ok) return { ok: false, reason: 'invalid', errors: behaviour.errors };
    examples = behaviour.passed || undefined;
  }
  const entry = writeEntry(project.options.cacheDir, {
    name: spec.ir.name, hash: spec.hash, file: spec.ir.file, model: OFFLINE, body, inputs: spec.inputs && formatInputs(spec.inputs), examples,
  }, { force: o.force });
  invalidateBuildInfo(project.ts, project.program.getCompilerOptions());
  return { ok: true, entry, replaced: REPLACED[before.status] };
}

export type ImplementationRead = { ok: true; text: string } | { ok: false; code: number | undefined; message: string; hint: string };

/**
 * Reads a hand-written implementation (`jaunt author --from`): a regular file of at most MAX_FILE_BYTES,
 * never blocking on a FIFO nor reading a device such as /dev/zero. `shown` is the file as the user named it.
 */
export function readImplementation(file: string, shown: string): ImplementationRead {
  const read = readBounded(file);
  if (read.ok) return { ok: true, text: read.text };
  switch (read.refusal) {
    case 'not-regular':
      return { ok: false, code: Codes.NotRegularFile, message: `${shown} ${read.detail}: Jaunt does not read it`, hint: 'pass the .ts file that holds the implementation' };
    case 'too-large':
      return { ok: false, code: Codes.FileTooLarge, message: `${shown} ${read.detail} for an implementation: Jaunt does not read it`,
        hint: `an entry holds one spec's function and its helpers (at most ${kib(MAX_FILE_BYTES)}): pass that file, or split the spec` };
    default:
      return { ok: false, code: undefined, message: `cannot read ${shown} (${read.detail})`, hint: 'check the path given to --from' };
  }
}
