import type * as TS from 'typescript';
import { lookupEntry, writeEntry } from '../cache/cache-store';
import { OFFLINE } from '../cache/entry-format';
import { formatInputs } from '../spec/spec-hash';
import type { AnalyzedSpec, ProgramAnalysis } from './analyze-program';
import { invalidateBuildInfo } from './invalidate-build-info';

export type AuthorResult =
  | { ok: true; entry: string; replaced: 'none' | 'fresh' | 'edited' | 'corrupt' }
  | { ok: false; reason: 'edited'; entry: string }
  | { ok: false; reason: 'invalid'; errors: string[] };

const REPLACED = { hit: 'fresh', edited: 'edited', corrupt: 'corrupt', missing: 'none' } as const;

/**
 * Stores a hand-written implementation as a spec's entry, labelled as written without a model. It is
 * checked as a model's answer is (the same plan, in its file) unless `verify` is off; a hand-edited entry
 * is replaced only with `force`.
 */
export function authorEntry(
  project: { ts: typeof TS; program: TS.Program; analysis: ProgramAnalysis; cacheDir: string },
  spec: AnalyzedSpec & { hash: string }, text: string, o: { force: boolean; verify: boolean },
): AuthorResult {
  const before = lookupEntry(project.cacheDir, spec.ir.name, spec.hash);
  if (before.status === 'edited' && !o.force) return { ok: false, reason: 'edited', entry: before.path };
  let body = text;
  if (o.verify) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createValidator } = require('../validate/validate-candidate') as typeof import('../validate/validate-candidate');
    const result = createValidator(project.ts, project.program, project.analysis).validate(spec, text);
    if (!result.ok) return { ok: false, reason: 'invalid', errors: result.errors };
    body = result.body;
  }
  const entry = writeEntry(project.cacheDir, {
    name: spec.ir.name, hash: spec.hash, file: spec.ir.file, model: OFFLINE, body, inputs: spec.inputs && formatInputs(spec.inputs),
  }, { force: o.force });
  invalidateBuildInfo(project.ts, project.program.getCompilerOptions());
  return { ok: true, entry, replaced: REPLACED[before.status] };
}
