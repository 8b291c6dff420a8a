/**
 * What a spec file ships with the cache as it stands, optionally with one spec's candidate in place of
 * its entry: the text the examples of a candidate run against (the file's other specs and the spec
 * files it imports come with their cached implementations, or the stubs that throw).
 */
import type * as TS from 'typescript';
import { lookupEntry } from '../cache/cache-store';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { Codes, diagnostic } from '../core/errors';
import { readFileScope } from '../splice/file-scope';
import { emitsCommonJs } from '../splice/module-format';
import { planFile, type SpliceRequest } from '../splice/plan-file';
import { renderPlanText } from '../splice/render-text';

export function cachedFileText(
  ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, cacheDir: string, sf: TS.SourceFile,
  candidate?: { spec: AnalyzedSpec; body: string },
): string {
  const { valid, invalid } = analysis.specsInFile(sf.fileName);
  if (valid.length === 0 && invalid.length === 0) return sf.text;
  const unavailable = (name: string) => diagnostic(Codes.MissingEntry, `spec '${name}' has no usable cached implementation`, undefined, name);
  const requests: SpliceRequest[] = valid.map((spec) => {
    if (candidate && spec.id === candidate.spec.id) return { spec: spec.found, body: candidate.body, label: 'candidate' };
    const lookup = spec.hash === undefined ? undefined : lookupEntry(cacheDir, spec.ir.name, spec.hash);
    return lookup && (lookup.status === 'hit' || lookup.status === 'edited')
      ? { spec: spec.found, body: lookup.body, label: lookup.path }
      : { spec: spec.found, problem: unavailable(spec.ir.name) };
  });
  for (const found of invalid) requests.push({ spec: found, problem: unavailable(found.name) });
  const { plan } = planFile(ts, readFileScope(ts, sf, emitsCommonJs(ts, program, sf)), requests);
  return renderPlanText(plan, sf.text).text;
}
