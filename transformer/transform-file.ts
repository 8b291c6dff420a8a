import type * as TS from 'typescript';
import type { JauntDiagnostic } from '../core/errors';
import { findSpecsInFile } from '../spec/find-specs';
import { readFileScope } from '../splice/file-scope';
import { emitsCommonJs } from '../splice/module-format';
import { planFile, type FilePlan } from '../splice/plan-file';
import { renderPlanNodes } from '../splice/render-nodes';

/**
 * Replaces each spec of the file as its plan says (the implementation, or a function that throws the
 * build's error for it). An adapter may analyze one program and transform a file of another (ts-jest
 * compiles with its language service's latest program, or with transpileModule): the plan applies when
 * the texts are the same; a file whose text changed since is left as it is.
 */
export function transformFile(ts: typeof TS, plans: ReadonlyMap<string, FilePlan>, sf: TS.SourceFile): TS.SourceFile {
  const plan = plans.get(sf.fileName);
  if (!plan || plan.scope.sourceFile.text !== sf.text) return sf;
  return renderPlanNodes(ts, plan, sf);
}

/**
 * When Jaunt itself failed (an internal error, a bad option), each spec of the file still ships: as a
 * function that throws that error, never as a module silently lacking it.
 */
export function stubFile(ts: typeof TS, program: TS.Program, sf: TS.SourceFile, problem: JauntDiagnostic): TS.SourceFile {
  if (!sf.text.includes('@jaunt') || sf.isDeclarationFile) return sf;
  try {
    const scan = findSpecsInFile(ts, sf);
    const requests = [...scan.specs, ...scan.invalid].map((spec) => ({ spec, problem }));
    if (requests.length === 0) return sf;
    return renderPlanNodes(ts, planFile(ts, readFileScope(ts, sf, emitsCommonJs(ts, program, sf)), requests).plan, sf);
  } catch {
    // Nothing better to ship than the file as it is; the build reports the failure already.
    return sf;
  }
}
