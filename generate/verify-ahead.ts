/**
 * A spec file's first verification, done during generation instead of after it. Once every spec of a file
 * has its entry, tsc's thread (otherwise waiting for replies) checks the file exactly as classification
 * will plan it, and remembers a pass under the key classification computes from that exact text and its
 * inputs. The classification after generation then finds the verdict; a file whose shipped text differs by
 * a byte has another key and is checked there as always, so nothing is trusted that was not checked.
 */
import type * as TS from 'typescript';
import { lookupEntry } from '../cache/cache-store';
import { normalizeBody } from '../cache/entry-format';
import { relativePath, type AnalyzedSpec, type ProgramAnalysis } from '../core/analyze-program';
import { readFileScope } from '../splice/file-scope';
import { emitsCommonJs } from '../splice/module-format';
import { planFile, type SpliceRequest } from '../splice/plan-file';
import { createCachedHost } from '../validate/overlay-program';
import { shippedText, type ShippedText } from '../validate/shipped-text';
import { fileVerdictStore, verdictDir, verdictKey, type VerdictStore } from '../validate/verdict-cache';
import { verifyShipped } from '../validate/verify-plans';

export interface VerifyAhead {
  /**
   * What a candidate's file ships with it, for its check: the entries of the file's other specs that are
   * known to pass (written by this run after their check, or generated entries this run left alone, which
   * classification verified), in the order classification plans them. The candidate that completes a file
   * is then checked in the file exactly as it will ship.
   */
  fileRequests(spec: AnalyzedSpec, candidate: SpliceRequest): SpliceRequest[];
  /** A shipped text passed its check whole: its verdict is remembered if it holds every spec of its file. */
  passed(shipped: ShippedText): void;
  /** A spec (by id) passed its check, so its entry is written: its file may be complete. */
  touched(specId: string): void;
  /** Whether some touched file waits to be looked at. */
  pending(): boolean;
  /** Checks up to `max` touched files that are complete, in one program; returns how many it checked. */
  step(max: number): number;
}

export interface VerifyAheadInput {
  ts: typeof TS;
  program: TS.Program;
  analysis: ProgramAnalysis;
  cacheDir: string;
  /** Defaults to the store classification uses; with JAUNT_VERDICT_CACHE=off nothing is checked ahead (it would be lost). */
  verdicts?: VerdictStore;
  /** Ids of the specs this run generates, and of those whose candidate passed so far. */
  jobs?: ReadonlySet<string>;
  /** The body that passed, by spec id: a job's entry counts only once the file on disk holds exactly it. */
  validated?: ReadonlyMap<string, string>;
}

export function createVerifyAhead(input: VerifyAheadInput): VerifyAhead {
  const { ts, program, analysis, cacheDir } = input;
  const off = input.verdicts === undefined && process.env.JAUNT_VERDICT_CACHE === 'off';
  const verdicts = input.verdicts ?? fileVerdictStore(verdictDir(analysis.projectDir));
  const jobs = input.jobs ?? new Set<string>();
  const validated = input.validated ?? new Map<string, string>();
  const host = createCachedHost(ts, program.getCompilerOptions());
  const baselines = new Map<string, Map<string, number>>();
  const touched = new Set<string>();
  /** Texts already checked or found remembered: each exact text once. */
  const settled = new Set<string>();

  /** The file as classification will ship it when every spec has a usable entry; undefined otherwise. */
  const shippedOf = (fileName: string): ShippedText | undefined => {
    const sf = program.getSourceFile(fileName);
    const { valid, invalid } = analysis.specsInFile(fileName);
    // A malformed spec or one on a cycle ships as a stub whose text classification writes: left to it.
    if (!sf || invalid.length > 0 || valid.length === 0) return undefined;
    const requests: SpliceRequest[] = [];
    for (const spec of valid) {
      if (spec.hash === undefined) return undefined;
      const lookup = lookupEntry(cacheDir, spec.ir.name, spec.hash);
      if (lookup.status !== 'hit' && lookup.status !== 'edited') return undefined;
      requests.push({ spec: spec.found, body: lookup.body, label: relativePath(analysis.projectDir, lookup.path) });
    }
    const { plan, problems } = planFile(ts, readFileScope(ts, sf, emitsCommonJs(ts, program, sf)), requests);
    return problems.length > 0 ? undefined : shippedText(plan);
  };

  /** Whether a spec's entry on disk is known to pass in its file (see fileRequests). */
  const knownGood = (spec: AnalyzedSpec, lookup: { status: string; body: string }): boolean => {
    if (!jobs.has(spec.id)) return lookup.status === 'hit';
    const body = validated.get(spec.id);
    return body !== undefined && normalizeBody(body) === lookup.body;
  };
  const complete = (shipped: ShippedText): boolean => {
    const { valid, invalid } = analysis.specsInFile(shipped.plan.scope.sourceFile.fileName);
    return invalid.length === 0 && shipped.plan.specs.length === valid.length && shipped.checks.length === valid.length;
  };

  if (off) return { fileRequests: (_spec, candidate) => [candidate], passed: () => undefined, touched: () => undefined, pending: () => false, step: () => 0 };
  return {
    fileRequests(spec, candidate) {
      const { valid, invalid } = analysis.specsInFile(spec.found.sourceFile.fileName);
      if (invalid.length > 0) return [candidate];
      return valid.flatMap((other): SpliceRequest[] => {
        if (other === spec) return [candidate];
        if (other.hash === undefined) return [];
        const lookup = lookupEntry(cacheDir, other.ir.name, other.hash);
        return (lookup.status === 'hit' || lookup.status === 'edited') && knownGood(other, lookup)
          ? [{ spec: other.found, body: lookup.body, label: relativePath(analysis.projectDir, lookup.path) }] : [];
      });
    },
    passed(shipped) {
      if (!complete(shipped)) return;
      const key = verdictKey(ts, program, shipped);
      settled.add(key);
      verdicts.remember(key);
    },
    touched: (specId) => {
      const spec = analysis.byId.get(specId);
      if (spec) touched.add(spec.found.sourceFile.fileName);
    },
    pending: () => touched.size > 0,
    step(max) {
      const batch: { shipped: ShippedText; key: string }[] = [];
      for (const fileName of [...touched]) {
        if (batch.length >= max) break;
        touched.delete(fileName);
        const shipped = shippedOf(fileName);
        if (!shipped) continue;
        const key = verdictKey(ts, program, shipped);
        if (settled.has(key) || verdicts.has(key)) continue;
        settled.add(key);
        batch.push({ shipped, key });
      }
      if (batch.length === 0) return 0;
      const errors = verifyShipped({ ts, program, host, baselines, label: (f) => relativePath(analysis.projectDir, f) }, batch.map((b) => b.shipped));
      for (const { shipped, key } of batch) if (shipped.checks.every((c) => !errors.has(c.spec))) verdicts.remember(key);
      return batch.length;
    },
  };
}
