/**
 * Re-verification: a spec whose contract changed may keep the implementation it has when that entry still
 * passes every check against the new contract (the same checks a model's answer must pass). It is then
 * re-stamped under the new hash, with no request, and its provenance says so. Never automatic: a wording
 * change in the JSDoc can change what the function must do, so the user asks for it (`--reverify`) and
 * every re-stamp is reported.
 */
import * as path from 'node:path';
import { parseEntryName, readEntryFile, writeEntry } from '../cache/cache-store';
import type { EntryMeta } from '../cache/entry-format';
import { formatInputs } from '../spec/spec-hash';
import type { Validator } from '../validate/validate-candidate';
import type { AnalyzedSpec } from './analyze-program';
import type { SpecStatus } from './classify-specs';

export type ReverifyCheck =
  | { ok: true; spec: AnalyzedSpec & { hash: string }; previous: string; meta: EntryMeta; body: string; examples?: number }
  | { ok: false; reason: string };

/** Whether `s` can be re-stamped: stale by contract, with an earlier entry that is intact and passes every check now. */
export function checkReverifiable(s: SpecStatus, cacheDir: string, validator: Validator): ReverifyCheck {
  const spec = s.spec;
  if (!spec || s.hash === undefined || s.status !== 'stale' || s.staleBy !== 'contract' || !s.previousEntry) {
    return { ok: false, reason: 'only a spec whose contract changed, with an entry for an earlier contract, can be re-verified' };
  }
  const named = parseEntryName(path.basename(s.previousEntry));
  if (!named) return { ok: false, reason: 'the earlier entry is not named like an entry' };
  const { lookup } = readEntryFile(cacheDir, s.previousEntry, named.name, named.hash);
  if (lookup.status === 'edited') return { ok: false, reason: 'the earlier entry was edited by hand: store it with `jaunt author` if it is right' };
  if (lookup.status !== 'hit') return { ok: false, reason: `the earlier entry is unusable (${lookup.status === 'corrupt' ? lookup.reason : lookup.status})` };
  const result = validator.validate(spec, lookup.body);
  if (!result.ok) return { ok: false, reason: `the earlier entry fails against the new contract: ${result.errors.slice(0, 3).join('; ')}` };
  // The new contract's examples are part of every check.
  const behaviour = validator.checkBehaviourSync(spec, result.body);
  if (!behaviour.ok) return { ok: false, reason: `the earlier entry fails the new contract's examples: ${behaviour.errors.slice(0, 3).join('; ')}` };
  return { ok: true, spec: { ...spec, hash: s.hash }, previous: s.previousEntry, meta: lookup.meta, body: result.body, ...(behaviour.passed > 0 ? { examples: behaviour.passed } : {}) };
}

/** Writes the checked body under the new hash; the header keeps who wrote it and says it was re-verified, from what. */
export function restamp(cacheDir: string, check: Extract<ReverifyCheck, { ok: true }>, changed: readonly string[]): string {
  const { spec, meta } = check;
  return writeEntry(cacheDir, {
    name: spec.ir.name, hash: spec.hash, file: spec.ir.file, model: meta.model, provider: meta.provider,
    reverified: `${new Date().toISOString()} from ${path.basename(check.previous)} (${changed.join(', ')} changed; passed every check; no request)`,
    body: check.body, inputs: spec.inputs && formatInputs(spec.inputs), examples: check.examples,
  });
}
