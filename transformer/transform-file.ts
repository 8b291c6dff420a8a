import type * as TS from 'typescript';
import type { FilePlan } from '../splice/plan-file';
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

