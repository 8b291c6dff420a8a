import type * as TS from 'typescript';
import { detach } from './detach-nodes';
import { importToCommonJs, importToEsm } from './planned-imports';
import type { FilePlan } from './plan-file';
import { implementationOf, type SpecPlan } from './plan-splice';
import { shapeOf } from '../spec-kinds/shapes';

function parse(ts: typeof TS, text: string, name: string): TS.SourceFile {
  return ts.createSourceFile(`${name}.jaunt.ts`, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
}

/** The implementation as a new node with the spec's place and export modifiers. */
function mainNode(ts: typeof TS, plan: SpecPlan, commonJs: boolean, mapTo: TS.SourceMapRange): TS.Statement {
  const piece = plan.main.find((p) => p.kind === 'implementation')!;
  const impl = implementationOf(ts, parse(ts, commonJs ? piece.commonJsText : piece.text, plan.spec.name), plan.spec)!;
  const specModifiers = (ts.getModifiers(plan.spec.declarations[0]!) ?? []).filter((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  // A new node, not an update of the entry's: the CommonJS transform decides whether to write
  // `exports.name = name` from the node's modifiers.
  const node = shapeOf(plan.spec).rebuild(ts, detach(ts, impl, mapTo), specModifiers);
  ts.setSourceMapRange(node, mapTo);
  ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, ` jaunt: ${plan.label} `, true);
  return node;
}

/**
 * Renders a file plan as tsc nodes into `sf` (the file being emitted, whose text is the planned file's):
 * the same imports, helpers, places and function as the TypeScript text that validation checked, with
 * imports as `require` calls and exported variables as `exports.X` under CommonJS, and types left out.
 * Nodes are parsed from text and detached: nodes of another tree crash tsc's checker and emitter.
 */
export function renderPlanNodes(ts: typeof TS, plan: FilePlan, sf: TS.SourceFile): TS.SourceFile {
  const { commonJs, firstBodyStatement } = plan.scope;
  const planned = plan.scope.sourceFile.statements;
  const statementsOf = (text: string, name: string, mapTo: TS.SourceMapRange) =>
    parse(ts, text, name).statements.map((s) => detach(ts, s, mapTo));
  const before = new Map<number, TS.Statement[]>();
  const add = (i: number, nodes: TS.Statement[]) => before.set(i, [...(before.get(i) ?? []), ...nodes]);
  const replaced = new Map<number, TS.Statement[]>();
  const imports: TS.Statement[] = [];
  for (const p of plan.specs) {
    const first = p.spec.declarations[0]!;
    const mapTo: TS.SourceMapRange = { pos: first.getStart(), end: first.getEnd() };
    const importText = p.imports.map(commonJs ? importToCommonJs : importToEsm).filter((t) => t !== '').join('\n');
    if (importText) imports.push(...statementsOf(importText, p.spec.name, mapTo));
    const helperText = p.helpers.filter((h) => h.kind === 'value').map((h) => (commonJs ? h.commonJsText : h.text)).join('\n');
    if (helperText) add(p.helpersBefore, statementsOf(helperText, p.spec.name, mapTo));
    // A spec kind's registration (a jest `test(...)` call) follows the function it registers.
    const registration = p.main.filter((m) => m.kind === 'registration').map((m) => m.text).join('\n');
    const main = [mainNode(ts, p, commonJs, mapTo), ...(registration ? statementsOf(registration, p.spec.name, mapTo) : [])];
    p.spec.declarations.forEach((d, i) => replaced.set(planned.indexOf(d), i === 0 ? main : []));
  }
  add(firstBodyStatement, []);
  before.set(firstBodyStatement, [...imports, ...before.get(firstBodyStatement)!]);
  const out: TS.Statement[] = [];
  sf.statements.forEach((s, i) => {
    out.push(...(before.get(i) ?? []));
    out.push(...(replaced.get(i) ?? [s]));
  });
  out.push(...(before.get(sf.statements.length) ?? []));
  return ts.factory.updateSourceFile(sf, out);
}
