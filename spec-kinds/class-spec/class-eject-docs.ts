import type * as TS from 'typescript';
import type { FoundSpec } from '../../spec/find-specs';
import type { Edit } from '../../splice/text-edits';
import { classImplementationOf } from './class-answer';
import { declaredMembers, type DeclaredMember } from './class-members';

const sideAndName = (m: { isStatic: boolean; name: string }) => `${m.isStatic ? 'static ' : ''}${m.name}`;

/**
 * Edits that put each member's JSDoc from the declaration above the same member of the implementation in
 * `text` (an ejected file), unless the implementation documents it itself: ejecting keeps every contract.
 */
export function memberDocEdits(ts: typeof TS, spec: FoundSpec, text: string): Edit[] {
  const declared = new Map<string, DeclaredMember>();
  for (const m of declaredMembers(ts, spec.sourceFile, spec.declarations[0] as TS.ClassDeclaration)) if (m.jsdoc) declared.set(sideAndName(m), m);
  const sf = ts.createSourceFile('ejected.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const impl = classImplementationOf(ts, sf, spec.name);
  if (!impl) return [];
  const edits: Edit[] = [];
  for (const m of declaredMembers(ts, sf, impl)) {
    const doc = declared.get(sideAndName(m))?.jsdoc;
    const first = m.nodes[0]!;
    if (!doc || m.jsdoc) continue;
    const start = first.getStart(sf);
    const indent = /[ \t]*$/.exec(text.slice(text.lastIndexOf('\n', start - 1) + 1, start))![0];
    const body = doc.raw.split('\n').map((line, i) => (i === 0 ? line : `${indent} ${line.trimStart()}`)).join('\n');
    edits.push({ pos: start, end: start, text: `${body}\n${indent}` });
  }
  return edits;
}
