/** Small facts about declaration nodes that discovery, the spec shapes and the splice all ask. */
import type * as TS from 'typescript';
import type { Location } from '../core/errors';

export const hasModifier = (ts: typeof TS, node: TS.Node, kind: TS.SyntaxKind): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

/** Where a node stands, for a diagnostic. `sf` is passed: discovery runs before parents are set. */
export function nodeLocation(sf: TS.SourceFile, node: TS.Node): Location & { start: number; length: number; line: number } {
  const start = node.getStart(sf);
  return { file: sf.fileName, start, length: node.getEnd() - start, line: sf.getLineAndCharacterOfPosition(start).line + 1 };
}
